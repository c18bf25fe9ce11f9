package org.churnsignals.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Prometheus' own binaries, as Debian's `prometheus` package installs them (.ci/install-test-tools.sh). */
final class PrometheusTools {

  private PrometheusTools() {}

  static Path promtool() {
    return require("promtool");
  }

  static Path prometheus() {
    return require("prometheus");
  }

  static Optional<Path> onPath(String binary) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, binary);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static Path require(String binary) {
    return onPath(binary).orElseThrow(() -> new AssertionError(
        binary + " is not on the PATH: install Debian's prometheus package (bash .ci/install-test-tools.sh)"));
  }

  /** Runs a command to completion; the result holds its exit code and everything it printed. */
  static Result run(Path workingDir, String... command) {
    try {
      Path output = Files.createTempFile("churn-signals-tool", ".log");
      try {
        Process process = new ProcessBuilder(command)
            .directory(workingDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
        boolean finished = process.waitFor(2, TimeUnit.MINUTES);
        if (!finished) {
          process.destroyForcibly();
        }
        assertThat(finished).as("%s finished within two minutes", String.join(" ", command)).isTrue();
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new AssertionError("could not run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Writes each query as a recording rule, so that `promtool check rules` parses every one of them. */
  static Result checkQueries(List<PanelQuery> queries, Path dir) throws IOException {
    List<String> lines = new ArrayList<>(List.of("groups:", "  - name: dashboard_panels", "    rules:"));
    for (int i = 0; i < queries.size(); i++) {
      lines.add("      - record: panel_query_" + i);
      lines.add("        expr: " + quoted(queries.get(i).promql()));
    }
    Path rules = dir.resolve("panel-queries.rules.yml");
    Files.write(rules, lines, StandardCharsets.UTF_8);
    return run(dir, promtool().toString(), "check", "rules", rules.toString());
  }

  /** A YAML double-quoted scalar, whose escapes are JSON's. */
  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  record Result(int exitCode, String output) {}
}

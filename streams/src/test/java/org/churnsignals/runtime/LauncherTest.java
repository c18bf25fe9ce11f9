package org.churnsignals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.churnsignals.serde.EventJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line as a user meets it: what each command says, its exit code, and what it leaves behind. */
class LauncherTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;

  @BeforeEach
  void captureTheConsole() {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreTheConsole() {
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String complaint() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Exit code 2, one line on stderr saying {@code what}, nothing on stdout, and no pipeline, broker or server running. */
  private void assertRefused(int exitCode, String what) {
    assertThat(exitCode).isEqualTo(2);
    assertThat(complaint()).endsWith(System.lineSeparator()).hasLineCount(1).contains(what);
    assertThat(printed()).isEmpty();
    assertThat(runningThreads()).noneMatch(name -> name.contains("StreamThread") || name.contains("kafka")
        || name.contains("raft") || name.startsWith("JettyServerThreadPool") || name.startsWith("demo"));
  }

  private static Set<String> runningThreads() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
  }

  private Path file(String name, String... lines) throws IOException {
    return Files.write(dir.resolve(name), List.of(lines));
  }

  // --- bad arguments -------------------------------------------------------------------------------

  @Test
  void anUnknownOptionIsRefused() throws IOException {
    Path events = file("events.jsonl");

    assertRefused(Launcher.execute("replay", "--events", events.toString(), "--out", dir.resolve("out").toString(),
        "--speed", "fast"), "churn-signals replay: Unknown options: '--speed', 'fast' (see churn-signals replay --help)");
  }

  @Test
  void replayWithoutItsEventsIsRefused() {
    assertRefused(Launcher.execute("replay", "--out", dir.resolve("out").toString()),
        "churn-signals replay: Missing required option: '--events=FILE.jsonl'");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void replayOfAnEventsFileThatDoesNotExistIsRefused() {
    Path missing = dir.resolve("no-such-history.jsonl");

    assertRefused(Launcher.execute("replay", "--events", missing.toString(), "--out", dir.resolve("out").toString()),
        "churn-signals replay: events file " + missing + " does not exist");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @ParameterizedTest(name = "demo {0} {1}")
  @CsvSource({
      "--duration, 0, --duration must be a positive number of seconds, got 0",
      "--http-port, 70000, --http-port must be a port from 1 to 65535, got 70000",
      "--kafka-port, 0, --kafka-port must be a port from 1 to 65535, got 0",
      "--customers, 0, --customers and --history-days must be at least 1",
      "--duration, soon, Invalid value for option '--duration': 'soon' is not an int"})
  void aDemoWithABadOptionStartsNothing(String option, String value, String what) {
    assertRefused(Launcher.execute("demo", option, value), "churn-signals demo: " + what);
  }

  @Test
  void generateOfNoCustomersIsRefused() {
    assertRefused(Launcher.execute("generate", "--customers", "0", "--days", "3", "--out", dir.resolve("h.jsonl").toString()),
        "churn-signals generate: --customers and --days must be at least 1");
    assertThat(dir.resolve("h.jsonl")).doesNotExist();
  }

  // --- bad configuration ---------------------------------------------------------------------------

  @Test
  void runWithABadValueInItsConfigurationStartsNothing() throws IOException {
    Path config = file("churn.properties", "kafka.bootstrap.servers=127.0.0.1:1", "risk.window=soon");

    assertRefused(Launcher.execute("run", "--config", config.toString()), "churn-signals run: setting 'risk.window' (from file "
        + config + ") is not a duration like 90s, 15m, 4h or 14d, got 'soon'");
  }

  @Test
  void runWithAnUnknownSettingStartsNothing() throws IOException {
    Path config = file("churn.properties", "risk.windw=30d");

    assertRefused(Launcher.execute("run", "--config", config.toString()),
        "churn-signals run: unknown setting 'risk.windw' (from file " + config + ")");
  }

  @Test
  void runWithAConfigurationFileThatDoesNotExistStartsNothing() {
    Path missing = dir.resolve("missing.properties");

    assertRefused(Launcher.execute("run", "--config", missing.toString()),
        "churn-signals run: configuration file " + missing + " does not exist");
  }

  @Test
  void replayWithABadSettingIsRefusedBeforeReadingTheEvents() throws IOException {
    Path events = file("events.jsonl");
    Path config = file("churn.properties", "risk.level.high=90", "risk.level.critical=80");

    assertRefused(Launcher.execute("replay", "--events", events.toString(), "--out", dir.resolve("out").toString(),
        "--config", config.toString()), "churn-signals replay: risk levels must rise from elevated to high to critical");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  // --- help ----------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} --help")
  @CsvSource(delimiter = '|', value = {
      "''       | demo, run, replay, generate",
      "demo     | --duration, --http-port, --kafka-port, --customers, --history-days, --seed",
      "run      | --config",
      "replay   | --events, --out, --config",
      "generate | --customers, --days, --seed, --start, --out"})
  void helpOfEachCommandListsItsOptions(String command, String options) {
    String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};

    assertThat(Launcher.execute(args)).isZero();
    assertThat(printed()).startsWith("Usage: churn-signals" + (command.isEmpty() ? "" : " " + command));
    for (String option : options.split(",\\s*")) {
      assertThat(printed()).contains(option);
    }
    assertThat(complaint()).isEmpty();
  }

  // --- generate and replay -------------------------------------------------------------------------

  @Test
  void generateThenReplayWritesTheFourFilesAndNamesTheLinesItCouldNotUse() throws IOException {
    Path history = dir.resolve("history.jsonl");
    assertThat(Launcher.execute("generate", "--customers", "5", "--days", "8", "--seed", "7", "--out", history.toString()))
        .isZero();
    List<String> lines = Files.readAllLines(history);
    int generated = lines.size();
    assertThat(generated).isPositive();
    Set<String> customers = customersIn(lines);
    assertThat(printed()).startsWith("Wrote " + generated + " events for 5 customers over 8 days to " + history);
    Files.write(history, List.of(
        "{\"stream\": \"orders\", \"event\": {\"eventId\": ",
        "{\"stream\": \"refunds\", \"event\": {\"eventId\": \"E-x\"}}",
        "{\"stream\": \"orders\", \"event\": {\"eventId\": \"E-y\", \"occurredAt\": \"2026-01-06T10:00:00Z\","
            + " \"orderId\": \"O-y\", \"type\": \"DELIVERED\"}}"), StandardOpenOption.APPEND);

    Path replayed = dir.resolve("replayed");
    assertThat(Launcher.execute("replay", "--events", history.toString(), "--out", replayed.toString())).isZero();

    assertThat(complaint()).isEmpty();
    assertThat(printed()).contains("Replayed " + generated + " events: ").contains(" 3 dead letters -> " + replayed);
    assertThat(replayed.resolve("signals.jsonl")).isRegularFile();
    assertThat(replayed.resolve("alerts.jsonl")).isRegularFile();
    assertThat(customersIn(Files.readAllLines(replayed.resolve("risk.jsonl")))).isNotEmpty().isEqualTo(customers);
    List<String> deadLetters = Files.readAllLines(replayed.resolve("dead-letters.jsonl"));
    assertThat(deadLetters).hasSize(3);
    assertThat(deadLetters.get(0)).startsWith("{\"line\":" + (generated + 1) + ",\"error\":\"not valid JSON");
    assertThat(deadLetters.get(1)).isEqualTo("{\"line\":" + (generated + 2)
        + ",\"error\":\"unknown stream 'refunds' (expected orders, contacts, returns or prices)\"}");
    assertThat(deadLetters.get(2)).startsWith("{\"line\":" + (generated + 3) + ",\"error\":").contains("customerId");
  }

  /** The customerId of every line that has one, in an event or in a risk. */
  private static Set<String> customersIn(List<String> lines) throws IOException {
    Set<String> customers = new TreeSet<>();
    for (String line : lines) {
      JsonNode node = EventJson.mapper().readTree(line);
      JsonNode customer = node.has("event") ? node.get("event").get("customerId") : node.get("customerId");
      if (customer != null) {
        customers.add(customer.asText());
      }
    }
    return customers;
  }

  @Test
  void replayingTheSameHistoryTwiceWritesTheSameFiles() throws IOException {
    Path history = dir.resolve("history.jsonl");
    assertThat(Launcher.execute("generate", "--customers", "5", "--days", "10", "--seed", "3", "--out", history.toString()))
        .isZero();

    assertThat(Launcher.execute("replay", "--events", history.toString(), "--out", dir.resolve("first").toString())).isZero();
    assertThat(Launcher.execute("replay", "--events", history.toString(), "--out", dir.resolve("second").toString())).isZero();

    for (String output : List.of("signals.jsonl", "alerts.jsonl", "risk.jsonl", "dead-letters.jsonl")) {
      assertThat(dir.resolve("second").resolve(output)).as(output).hasSameTextualContentAs(dir.resolve("first").resolve(output));
    }
    assertThat(Files.readAllLines(dir.resolve("first").resolve("signals.jsonl"))).as("signals of a 10-day history").isNotEmpty();
  }
}

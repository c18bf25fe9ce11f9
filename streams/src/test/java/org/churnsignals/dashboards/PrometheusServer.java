package org.churnsignals.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/** A real Prometheus (Debian's binary) scraping one target every two seconds, with its data in a folder of its own. */
final class PrometheusServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final URI base;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, URI base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  static PrometheusServer start(Path dir, int port, String target) throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("data"));
    Path config = dir.resolve("prometheus.yml");
    Files.write(config, List.of(
        "global:",
        "  scrape_interval: 2s",
        "  scrape_timeout: 2s",
        "scrape_configs:",
        "  - job_name: churn-signals",
        "    metrics_path: /metrics",
        "    static_configs:",
        "      - targets: [\"" + target + "\"]"), StandardCharsets.UTF_8);
    Path log = dir.resolve("prometheus.log");
    Process process = new ProcessBuilder(
        PrometheusTools.prometheus().toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), log);
    server.awaitReady(Instant.now().plusSeconds(60));
    return server;
  }

  /** How many series an instant query answers with now. */
  int seriesCount(String promql) throws IOException, InterruptedException {
    JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (!answer.path("status").asText().equals("success")) {
      throw new AssertionError("Prometheus refused " + promql + ": " + answer.path("error").asText());
    }
    return answer.path("data").path("result").size();
  }

  /** Every metric name Prometheus holds samples of. */
  Set<String> metricNames() throws IOException, InterruptedException {
    Set<String> names = new TreeSet<>();
    get("/api/v1/label/__name__/values").path("data").forEach(name -> names.add(name.asText()));
    return names;
  }

  /** Whether the last scrape of the target succeeded. */
  boolean targetUp() throws IOException, InterruptedException {
    return seriesCount("up == 1") > 0;
  }

  Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
    }
  }

  private void awaitReady(Instant deadline) throws IOException, InterruptedException {
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("prometheus exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        HttpResponse<Void> ready = http.send(
            HttpRequest.newBuilder(base.resolve("/-/ready")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // keep waiting
      }
      Thread.sleep(500);
    }
    throw new AssertionError("prometheus was not ready within a minute:\n" + Files.readString(log));
  }

  private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }
}

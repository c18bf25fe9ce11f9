package org.churnsignals.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The strongest check of the dashboards: a real Prometheus scrapes a running demo, and every panel's
 * query must answer with data. Kafka Streams' task, state-store and lag metrics reach /metrics only at
 * the binder's first refresh, a minute after the application starts, so this waits for them.
 */
class DashboardQueriesIT {

  private static final Duration DEMO_LENGTH = Duration.ofSeconds(180);

  /** Their series exist only once a bad record or an unknown order came by, which a demo need not show. */
  private static final Set<String> RARE_EVENT_METRICS = Set.of("churn_dead_letters_total", "churn_unmatched_events_total");

  private static Path workDir;
  private static Process demo;
  private static PrometheusServer prometheus;
  private static final Map<PanelQuery, Integer> answers = new LinkedHashMap<>();
  private static Set<String> scrapedNames = Set.of();

  @BeforeAll
  static void scrapeARunningDemo() throws Exception {
    PrometheusTools.prometheus();
    Path jar = StackFiles.root().resolve("streams/target/churn-signals.jar");
    assertThat(jar).as("the packaged application (mvn package runs before the integration tests)").exists();
    workDir = StackFiles.root().resolve("streams/target/dashboard-queries-it");
    deleteRecursively(workDir);
    Files.createDirectories(workDir);
    int httpPort = freePort();
    int kafkaPort = freePort();

    Instant started = Instant.now();
    demo = new ProcessBuilder(
        ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString(),
        "demo", "--duration", String.valueOf(DEMO_LENGTH.toSeconds()),
        "--http-port", String.valueOf(httpPort), "--kafka-port", String.valueOf(kafkaPort))
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve("demo.log").toFile())
        .start();
    awaitMetrics(URI.create("http://127.0.0.1:" + httpPort + "/metrics"), started.plusSeconds(120));

    prometheus = PrometheusServer.start(workDir.resolve("prometheus"), freePort(), "127.0.0.1:" + httpPort);
    awaitAnswers(GrafanaDashboards.queries(), started.plus(DEMO_LENGTH).minusSeconds(25));
    scrapedNames = prometheus.metricNames();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (prometheus != null) {
      prometheus.close();
    }
    if (demo != null) {
      demo.destroy();
      if (!demo.waitFor(30, TimeUnit.SECONDS)) {
        demo.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void everyPanelQueryAnswersWithData() {
    List<String> empty = new ArrayList<>();
    List<String> quietRareEvents = new ArrayList<>();
    answers.forEach((query, series) -> {
      if (series == 0) {
        (readsOnlyRareEventMetrics(query) ? quietRareEvents : empty).add(query.toString());
      }
    });
    if (!quietRareEvents.isEmpty()) {
      System.out.println("No data, since nothing rare happened during the demo: " + quietRareEvents);
    }

    assertThat(answers).hasSize(GrafanaDashboards.queries().size());
    assertThat(empty).as("panel queries without data after %s of demo (logs in %s)", DEMO_LENGTH, workDir).isEmpty();
  }

  @Test
  void everyMetricTheDashboardsReadIsScraped() {
    Set<String> read = new TreeSet<>();
    GrafanaDashboards.queries().forEach(query -> read.addAll(query.metricNames()));
    read.removeAll(RARE_EVENT_METRICS);
    Set<String> missing = new TreeSet<>(read);
    missing.removeAll(scrapedNames);

    assertThat(read).isNotEmpty();
    assertThat(missing).as("metrics the dashboards read that Prometheus never scraped from the demo").isEmpty();
  }

  private static boolean readsOnlyRareEventMetrics(PanelQuery query) {
    return RARE_EVENT_METRICS.containsAll(query.metricNames());
  }

  /** Asks every query until each one that can answers, or until the deadline; the demo must still be running. */
  private static void awaitAnswers(List<PanelQuery> queries, Instant deadline) throws Exception {
    while (true) {
      assertThat(demo.isAlive()).as("the demo is still running (log: %s)", workDir.resolve("demo.log")).isTrue();
      answers.clear();
      for (PanelQuery query : queries) {
        answers.put(query, prometheus.seriesCount(query.promql()));
      }
      boolean complete = answers.entrySet().stream()
          .allMatch(answer -> answer.getValue() > 0 || readsOnlyRareEventMetrics(answer.getKey()));
      if (complete || Instant.now().isAfter(deadline)) {
        return;
      }
      Thread.sleep(5_000);
    }
  }

  private static void awaitMetrics(URI metrics, Instant deadline) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    while (Instant.now().isBefore(deadline)) {
      if (!demo.isAlive()) {
        throw new AssertionError("the demo exited with " + demo.exitValue() + ":\n" + tail(workDir.resolve("demo.log")));
      }
      try {
        HttpResponse<Void> response = http.send(
            HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // keep waiting
      }
      Thread.sleep(1_000);
    }
    throw new AssertionError(metrics + " did not answer within two minutes:\n" + tail(workDir.resolve("demo.log")));
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }
}

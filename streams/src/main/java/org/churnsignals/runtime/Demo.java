package org.churnsignals.runtime;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.config.Settings;
import org.churnsignals.generate.TrafficGenerator;
import org.churnsignals.serde.SchemaRegistries;

/**
 * Everything on one machine in one process: a real Kafka broker, an in-process schema registry, a
 * generator of customer traffic (a couple of weeks of history, then live), the pipeline and its HTTP
 * server, and a line printed for every alert.
 */
public final class Demo {

  public record Options(Duration duration, int httpPort, int kafkaPort, int customers, long seed, int historyDays) {}

  private Demo() {}

  /** The demo's settings: the embedded broker, the in-process registry, a state folder of its own. */
  static ChurnConfig config(Options options, Map<String, String> environment, String bootstrapServers, Path stateDir) {
    return ChurnConfig.from(Settings.load(null, environment, Map.of(
        "application.id", "churn-signals-demo",
        "kafka.bootstrap.servers", bootstrapServers,
        "schema.registry.url", "mock://demo",
        "state.dir", stateDir.toString(),
        "http.port", Integer.toString(options.httpPort()),
        "application.server", "127.0.0.1:" + options.httpPort(),
        "http.token", "")));
  }

  public static void run(Options options, Map<String, String> environment, PrintStream out) throws Exception {
    // Checked before anything starts: a bad environment variable stops the demo with one line.
    Path stateDir = Files.createTempDirectory("churn-signals-demo-state");
    config(options, environment, "127.0.0.1:" + options.kafkaPort(), stateDir);

    out.println("Churn Signals demo: starting a Kafka broker (KRaft) on 127.0.0.1:" + options.kafkaPort() + " ...");
    KafkaBroker broker = KafkaBroker.start(options.kafkaPort());
    out.println("Kafka broker started in " + broker.startupTime().toMillis() + " ms");
    ChurnConfig config = config(options, environment, broker.bootstrapServers(), stateDir);
    ChurnConfig.Topics t = config.topics();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      new ChurnTopics(t.orders(), t.contacts(), t.returns(), t.prices(), t.alerts(), t.risk(), t.signals(), t.deadLetters())
          .createMissing(admin, t.partitions(), (short) 1);
    }
    var registry = SchemaRegistries.forUrl(config.schemaRegistryUrl());
    ChurnApplication app = ChurnApplication.start(config);
    AlertPrinter printer = new AlertPrinter(config, registry, out);
    LiveTraffic traffic = new LiveTraffic(traffic(options.customers(), options.seed(), options.historyDays()), config, registry);

    String base = "http://127.0.0.1:" + app.httpPort();
    out.println("Pipeline starting. Console " + base + "/   API " + base + "/api/customers/at-risk   Metrics " + base + "/metrics");
    out.println("Publishing " + options.historyDays() + " days of history for " + options.customers()
        + " customers, then live traffic. Alerts follow, one a line. Ctrl-C stops.");
    printer.start();
    traffic.start();

    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        stopped.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }, "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean interrupted = false;
    try {
      if (options.duration() != null) {
        stop.await(options.duration().toMillis(), TimeUnit.MILLISECONDS);
      } else {
        stop.await();
      }
    } catch (InterruptedException e) {
      // Whoever runs the demo in their own thread stops it by interrupting that thread: everything still closes.
      interrupted = true;
    }
    out.println("Stopping: " + traffic.published() + " events published, " + printer.printed() + " alerts printed.");
    try {
      // Clients before the broker: closed the other way round they keep retrying a broker that is gone.
      traffic.close();
      printer.close();
      app.close();
      broker.close();
      deleteRecursively(stateDir);
    } finally {
      stopped.countDown();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (options.duration() != null || interrupted) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
          // the hook is running and waits for us
        }
      }
    }
  }

  /**
   * Busy customers, so that a few minutes show every kind of signal: a month's orders in a day or two,
   * and trouble starting a quarter of the way into the history.
   */
  static TrafficGenerator traffic(int customers, long seed, int historyDays) {
    Instant start = Instant.now().minus(Duration.ofDays(historyDays));
    return new TrafficGenerator(seed, customers, start, TrafficGenerator.Settings.DEFAULT
        .withHealthyFor(Duration.ofDays(Math.max(1, historyDays / 4)))
        .withOrdersPerCustomerPerMonth(30));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}

package org.churnsignals.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.config.InvalidConfigurationException;
import org.churnsignals.config.Settings;
import org.churnsignals.sources.SignalSources;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line: demo, run, replay and generate. A bad argument or setting is one line and exit code 2. */
@Command(name = "churn-signals", mixinStandardHelpOptions = true, version = "churn-signals 0.1.0",
    description = "Turns order, contact, return and pricing events into explained churn risk and alerts.",
    subcommands = {Launcher.DemoCommand.class, Launcher.RunCommand.class, Launcher.ReplayCommand.class,
        Launcher.GenerateCommand.class, Launcher.SimulateCommand.class})
public final class Launcher implements Callable<Integer> {

  static final int BAD_USAGE = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    CommandLine commandLine = new CommandLine(new Launcher());
    commandLine.setParameterExceptionHandler((e, arguments) -> {
      String command = e.getCommandLine().getCommandSpec().qualifiedName();
      e.getCommandLine().getErr().println(command + ": " + e.getMessage() + " (see " + command + " --help)");
      return BAD_USAGE;
    });
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof InvalidConfigurationException || e instanceof BadArgument) {
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        return BAD_USAGE;
      }
      throw e;
    });
    return commandLine.execute(args);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 0;
  }

  /** An argument that parsed but cannot be used, such as a file that does not exist. */
  static final class BadArgument extends RuntimeException {
    BadArgument(String message) {
      super(message);
    }
  }

  @Command(name = "demo", mixinStandardHelpOptions = true,
      description = "Starts a Kafka broker, a schema registry, customer traffic, the pipeline and its HTTP server in "
          + "this process, and prints each alert as it is raised. Runs until Ctrl-C.")
  static final class DemoCommand implements Callable<Integer> {
    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop by itself after this many seconds.")
    Integer durationSeconds;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080", description = "Console, API and metrics (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092", description = "The embedded broker (default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @CommandLine.Mixin
    TrafficOptions traffic;

    @Override
    public Integer call() throws Exception {
      if (durationSeconds != null && durationSeconds <= 0) {
        throw new BadArgument("--duration must be a positive number of seconds, got " + durationSeconds);
      }
      checkPort("--http-port", httpPort);
      checkPort("--kafka-port", kafkaPort);
      traffic.check();
      Demo.run(new Demo.Options(durationSeconds == null ? null : Duration.ofSeconds(durationSeconds), httpPort, kafkaPort,
          traffic.customers, traffic.seed, traffic.historyDays), System.getenv(), System.out);
      return 0;
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Runs the pipeline against an existing Kafka cluster and schema registry. Every setting of the "
          + "file can also come from an environment variable CHURN_<KEY> (see config/churn-signals.properties).")
  static final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (properties); defaults apply to what it leaves out.")
    Path config;

    @Override
    public Integer call() throws Exception {
      ChurnConfig churn = ChurnConfig.from(Settings.load(config, System.getenv(), Map.of()));
      ChurnApplication app = ChurnApplication.start(churn);
      runUntilShutdown(app);
      return 0;
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Runs a history of events (JSON Lines) through the pipeline and writes signals.jsonl, alerts.jsonl, "
          + "risk.jsonl and dead-letters.jsonl. The same input gives the same output.")
  static final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--events", required = true, paramLabel = "FILE.jsonl", description = "The history: one {\"stream\": ..., \"event\": {...}} a line.")
    Path events;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the four output files go.")
    Path out;

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (rules, windows, weights).")
    Path config;

    @Override
    public Integer call() throws Exception {
      if (!Files.isRegularFile(events)) {
        throw new BadArgument("events file " + events + " does not exist");
      }
      ChurnConfig churn = ChurnConfig.from(Settings.load(config, System.getenv(), Map.of()));
      Replay.Summary summary = new Replay(churn, SignalSources.standard()).run(events, out);
      System.out.printf("Replayed %d events: %d signals, %d alerts, %d customers, %d dead letters -> %s%n",
          summary.events(), summary.signals(), summary.alerts(), summary.customers(), summary.deadLetters(), out);
      return 0;
    }
  }

  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Writes a realistic synthetic history in the replay format: mostly healthy customers and a share "
          + "whose experience degrades (late deliveries, calls ringing out, hard returns, price drops, overcharges).")
  static final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--customers", required = true, paramLabel = "N")
    int customers;

    @Option(names = "--days", required = true, paramLabel = "D")
    int days;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Same seed, same history (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--start", defaultValue = "2026-01-05T00:00:00Z", paramLabel = "INSTANT",
        description = "First day of the history (default ${DEFAULT-VALUE}, a Monday).")
    Instant start;

    @Option(names = "--out", required = true, paramLabel = "FILE.jsonl")
    Path out;

    @Override
    public Integer call() throws Exception {
      if (customers < 1 || days < 1) {
        throw new BadArgument("--customers and --days must be at least 1");
      }
      int events = HistoryFile.generate(seed, customers, days, start, out);
      System.out.printf("Wrote %d events for %d customers over %d days to %s%n", events, customers, days, out);
      return 0;
    }
  }

  @Command(name = "simulate", mixinStandardHelpOptions = true,
      description = "Publishes realistic customer traffic (some days of history, then live) to the input topics of an "
          + "existing Kafka cluster through its schema registry, so a fresh stack has something to show. Runs until Ctrl-C.")
  static final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Settings file: the cluster, registry and topic names.")
    Path config;

    @CommandLine.Mixin
    TrafficOptions traffic;

    @Override
    public Integer call() throws Exception {
      traffic.check();
      ChurnConfig churn = ChurnConfig.from(Settings.load(config, System.getenv(), Map.of()));
      LiveTraffic live = new LiveTraffic(Demo.traffic(traffic.customers, traffic.seed, traffic.historyDays), churn,
          org.churnsignals.serde.SchemaRegistries.forUrl(churn.schemaRegistryUrl()));
      System.out.printf("Publishing %d days of history for %d customers to %s, then live traffic. Ctrl-C stops.%n",
          traffic.historyDays, traffic.customers, churn.bootstrapServers());
      live.start();
      runUntilShutdown(live);
      return 0;
    }
  }

  /** The generated customers of demo and simulate. */
  static final class TrafficOptions {
    @Option(names = "--customers", paramLabel = "N", defaultValue = "300", description = "Customers in the traffic (default ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--history-days", paramLabel = "DAYS", defaultValue = "14", description = "Days of history published first (default ${DEFAULT-VALUE}).")
    int historyDays;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of the traffic (default ${DEFAULT-VALUE}).")
    long seed;

    void check() {
      if (customers < 1 || historyDays < 1) {
        throw new BadArgument("--customers and --history-days must be at least 1");
      }
    }
  }

  /** Runs until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes {@code running} before it exits. */
  private static void runUntilShutdown(AutoCloseable running) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        running.close();
      } catch (Exception e) {
        System.err.println("churn-signals: " + e.getMessage() + " while stopping");
      } finally {
        stopped.countDown();
      }
    }, "churn-signals-shutdown"));
    stopped.await();
  }

  private static void checkPort(String option, int port) {
    if (port < 1 || port > 65535) {
      throw new BadArgument(option + " must be a port from 1 to 65535, got " + port);
    }
  }
}

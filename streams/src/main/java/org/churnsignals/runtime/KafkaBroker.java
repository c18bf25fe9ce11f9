package org.churnsignals.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker, KRaft mode (broker and controller in one node), running inside this JVM.
 * It serves {@code demo} and the integration tests; production runs against a real cluster.
 */
public final class KafkaBroker implements AutoCloseable {
  public static final int DEFAULT_PORT = 9092;

  private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
  private static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final KafkaRaftServer server;
  private final int port;
  private final Path logDir;
  private final boolean deleteLogDirOnClose;
  private final Duration startupTime;
  private final AtomicBoolean closed = new AtomicBoolean();

  private KafkaBroker(KafkaRaftServer server, int port, Path logDir, boolean deleteLogDirOnClose,
                      Duration startupTime) {
    this.server = server;
    this.port = port;
    this.logDir = logDir;
    this.deleteLogDirOnClose = deleteLogDirOnClose;
    this.startupTime = startupTime;
  }

  /** Starts a broker on {@code port} (0 picks a free one) with its logs in a temporary directory deleted on close. */
  public static KafkaBroker start(int port) {
    return start(port, null);
  }

  /**
   * Starts a broker on {@code port} (0 picks a free one) keeping its logs in {@code logDir}: topics and offsets of an
   * earlier run there are still there. A null {@code logDir} is {@link #start(int)}'s temporary directory.
   */
  public static KafkaBroker start(int requestedPort, Path givenLogDir) {
    long started = System.nanoTime();
    int port = requestedPort == 0 ? freePort() : requirePortFree(requestedPort);
    boolean deleteLogDirOnClose = givenLogDir == null;
    Path logDir = deleteLogDirOnClose ? createTempLogDir() : givenLogDir;
    Map<String, String> brokerConfig = brokerConfig(port, freePort(), logDir);
    KafkaRaftServer server = null;
    try {
      format(brokerConfig, logDir);
      server = new KafkaRaftServer(new KafkaConfig(brokerConfig, false), Time.SYSTEM);
      server.startup();
    } catch (RuntimeException e) {
      if (server != null) {
        stop(server);
      }
      if (deleteLogDirOnClose) {
        deleteQuietly(logDir);
      }
      throw new IllegalStateException(
          "Cannot start the embedded Kafka broker on " + HOST + ":" + port + ": " + rootMessage(e), e);
    }
    Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
    KafkaBroker broker = new KafkaBroker(server, port, logDir, deleteLogDirOnClose, startupTime);
    log.info("Kafka broker (KRaft) started on {} in {} ms", broker.bootstrapServers(), startupTime.toMillis());
    return broker;
  }

  private static Map<String, String> brokerConfig(int port, int controllerPort, Path logDir) {
    Map<String, String> config = new HashMap<>();
    config.put("process.roles", "broker,controller");
    config.put("node.id", String.valueOf(NODE_ID));
    config.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    config.put("controller.listener.names", CONTROLLER_LISTENER);
    config.put("listeners",
        "PLAINTEXT://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
    config.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
    config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    config.put("inter.broker.listener.name", "PLAINTEXT");
    config.put("log.dirs", logDir.toString());

    // One node holds every replica: the internal topics default to three replicas, two of them in sync.
    config.put("offsets.topic.replication.factor", "1");
    config.put("transaction.state.log.replication.factor", "1");
    config.put("transaction.state.log.min.isr", "1");
    config.put("share.coordinator.state.topic.replication.factor", "1");
    config.put("share.coordinator.state.topic.min.isr", "1");
    // The internal topics are created on first use; 50 partitions each would slow the first group and transaction.
    config.put("offsets.topic.num.partitions", "1");
    config.put("transaction.state.log.num.partitions", "1");
    config.put("share.coordinator.state.topic.num.partitions", "1");

    // Topics are created deliberately (ChurnTopics, Kafka Streams), never by a typo in a producer.
    config.put("auto.create.topics.enable", "false");
    // Histories carry their own, older timestamps: time-based retention would delete them before they are read.
    config.put("log.retention.ms", "-1");
    // Kafka Streams joins its group at once instead of waiting for more members that will not come.
    config.put("group.initial.rebalance.delay.ms", "0");
    // The log cleaner (for the compacted risk topic) would otherwise claim 128 MB of heap.
    config.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
    // A broker that cannot start says so instead of waiting forever.
    config.put("server.max.startup.time.ms", "60000");
    config.put("num.network.threads", "2");
    config.put("num.io.threads", "2");
    return config;
  }

  private static Path createTempLogDir() {
    try {
      return Files.createTempDirectory("churn-signals-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a log directory for the embedded Kafka broker", e);
    }
  }

  /**
   * The same as {@code kafka-storage.sh format}: writes a cluster id and the bootstrap metadata to the log directory.
   * A directory given by the caller may hold an earlier run's data, formatted with its own cluster id: it is kept.
   */
  private static void format(Map<String, String> brokerConfig, Path logDir) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    Path configFile = null;
    try {
      configFile = Files.createTempFile("churn-signals-kafka-", ".properties");
      Properties properties = new Properties();
      properties.putAll(brokerConfig);
      try (Writer writer = Files.newBufferedWriter(configFile)) {
        properties.store(writer, null);
      }
      int exitCode = StorageTool.execute(new String[] {"format", "--config", configFile.toString(),
          "--cluster-id", Uuid.randomUuid().toString()},
          new PrintStream(OutputStream.nullOutputStream()));
      if (exitCode != 0) {
        throw new IllegalStateException("Formatting the Kafka log directory " + logDir + " failed: " + exitCode);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot format the Kafka log directory " + logDir, e);
    } finally {
      if (configFile != null) {
        deleteQuietly(configFile);
      }
    }
  }

  /** Kafka reports a port in use with three stack traces; one line says it better. */
  private static int requirePortFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      return port;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start the embedded Kafka broker: port " + port + " on " + HOST
          + " is in use (another Kafka broker?)", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port for the embedded Kafka broker", e);
    }
  }

  /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  public Path logDir() {
    return logDir;
  }

  /** From the call to {@code start} until the broker accepted clients. */
  public Duration startupTime() {
    return startupTime;
  }

  /**
   * Stops the broker and waits for it; deletes its logs if they were in a temporary directory.
   * Close the clients and Kafka Streams first: they would otherwise keep retrying the stopped broker.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long started = System.nanoTime();
    stop(server);
    if (deleteLogDirOnClose) {
      deleteQuietly(logDir);
    }
    log.info("Kafka broker on {} stopped in {} ms", bootstrapServers(),
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  private static void stop(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  private static void deleteQuietly(Path path) {
    try {
      Utils.delete(path.toFile());
    } catch (IOException e) {
      log.warn("Could not delete {}: {}", path, e.getMessage());
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }
}

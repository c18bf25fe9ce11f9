package org.churnsignals.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.config.Settings;
import org.churnsignals.serde.ConfluentAvroSerde;
import org.churnsignals.serde.SchemaRegistries;
import org.churnsignals.serde.SchemaRegistry;
import org.churnsignals.sources.EventFields;

/**
 * One instance of the live application on the embedded broker, and what a test needs around it: a producer
 * of Avro events as any upstream system would send them, readers of its output topics, and an HTTP client for
 * its server. Each instance has its own state folder and HTTP port; closing it deletes the folder.
 */
final class LivePipeline implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** Shared by the producers, readers and applications of the test JVM. */
  static final String SCHEMA_REGISTRY = "mock://integration-tests";

  final ChurnConfig config;
  final ChurnApplication app;
  private final KafkaBroker broker;
  private final KafkaProducer<String, byte[]> producer;
  private final SchemaRegistry registry = SchemaRegistries.forUrl(SCHEMA_REGISTRY);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final List<AutoCloseable> readers = new ArrayList<>();

  private LivePipeline(KafkaBroker broker, ChurnConfig config, ChurnApplication app) {
    this.broker = broker;
    this.config = config;
    this.app = app;
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * The settings of a test instance on {@code broker}: a fresh application id, state folder and free HTTP port
   * it also advertises, one partition a topic, the test JVM's in-process registry; {@code overrides} win.
   */
  static ChurnConfig config(KafkaBroker broker, Map<String, String> overrides) {
    int port = freePort();
    Map<String, String> settings = new HashMap<>();
    settings.put("application.id", "churn-it-" + UUID.randomUUID().toString().substring(0, 8));
    settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
    settings.put("schema.registry.url", SCHEMA_REGISTRY);
    settings.put("state.dir", tempDir("churn-it-state").toString());
    settings.put("http.port", Integer.toString(port));
    settings.put("application.server", "127.0.0.1:" + port);
    settings.put("topics.partitions", "1");
    settings.putAll(overrides);
    return ChurnConfig.from(Settings.load(null, Map.of(), settings));
  }

  /** Creates the topics that are missing, starts the application and waits until it is RUNNING. */
  static LivePipeline start(KafkaBroker broker, ChurnConfig config) throws InterruptedException {
    createTopics(broker, config);
    ChurnApplication app = ChurnApplication.start(config);
    LivePipeline pipeline = new LivePipeline(broker, config, app);
    if (!app.awaitRunning(Duration.ofSeconds(60))) {
      pipeline.close();
      throw new AssertionError("the pipeline did not reach RUNNING: " + app.streams().state());
    }
    return pipeline;
  }

  static void createTopics(KafkaBroker broker, ChurnConfig config) {
    ChurnConfig.Topics t = config.topics();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      new ChurnTopics(t.orders(), t.contacts(), t.returns(), t.prices(), t.alerts(), t.risk(), t.signals(), t.deadLetters())
          .createMissing(admin, t.partitions(), (short) 1);
    }
  }

  // --- input ---------------------------------------------------------------------------------------

  /** Sends each event to its topic, keyed as the contract says, with its occurredAt as timestamp; waits for acks. */
  List<RecordMetadata> send(List<? extends SpecificRecord> events) {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (SpecificRecord event : events) {
      String topic = topicOf(event);
      sent.add(producer.send(new ProducerRecord<>(topic, null, EventFields.occurredAt(event).toEpochMilli(),
          EventHistory.keyOf(event), serialize(topic, event))));
    }
    producer.flush();
    return sent.stream().map(LivePipeline::acknowledged).toList();
  }

  /**
   * Sends the events in one transaction: the application, reading committed records only, sees them all at once on
   * every topic, and so takes them in time order across topics, as it would have had they come as time passed.
   */
  void sendInOneTransaction(List<? extends SpecificRecord> events) {
    try (KafkaProducer<String, byte[]> transactional = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-history-" + UUID.randomUUID()), new StringSerializer(), new ByteArraySerializer())) {
      transactional.initTransactions();
      transactional.beginTransaction();
      for (SpecificRecord event : events) {
        String topic = topicOf(event);
        transactional.send(new ProducerRecord<>(topic, null, EventFields.occurredAt(event).toEpochMilli(),
            EventHistory.keyOf(event), serialize(topic, event)));
      }
      transactional.commitTransaction();
    }
  }

  RecordMetadata send(SpecificRecord event) {
    return send(List.of(event)).get(0);
  }

  /** Sends bytes as they are, as a misbehaving producer would, with {@code timestamp} as the record's time. */
  RecordMetadata sendRaw(String topic, String key, byte[] value, Instant timestamp) {
    Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(topic, null, timestamp.toEpochMilli(), key, value));
    producer.flush();
    return acknowledged(sent);
  }

  private static RecordMetadata acknowledged(Future<RecordMetadata> sent) {
    try {
      return sent.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the broker did not take a record", e);
    }
  }

  @SuppressWarnings("unchecked")
  <T extends SpecificRecord> byte[] serialize(String topic, T event) {
    return new ConfluentAvroSerde<>((Class<T>) event.getClass(), registry).serializer().serialize(topic, event);
  }

  private String topicOf(SpecificRecord event) {
    ChurnConfig.Topics t = config.topics();
    return switch (EventHistory.streamOf(event)) {
      case "orders" -> t.orders();
      case "contacts" -> t.contacts();
      case "returns" -> t.returns();
      default -> t.prices();
    };
  }

  // --- output --------------------------------------------------------------------------------------

  /** Reads {@code topic} from its beginning as a read_committed consumer, values decoded from Avro. */
  <T extends SpecificRecord> TopicReader<T> reader(String topic, Class<T> type) {
    return reader(topic, new ConfluentAvroSerde<>(type, registry).deserializer());
  }

  /** Reads {@code topic} from its beginning as a read_committed consumer, values as received. */
  TopicReader<byte[]> rawReader(String topic) {
    return reader(topic, new ByteArrayDeserializer());
  }

  private <V> TopicReader<V> reader(String topic, Deserializer<V> values) {
    TopicReader<V> reader = new TopicReader<>(broker, topic, values);
    readers.add(reader);
    return reader;
  }

  /** A record read back: its key as a string, its value decoded, its headers. */
  record Received<V>(String key, V value, Headers headers, int partition, long offset) {
    String header(String name) {
      var header = headers.lastHeader(name);
      return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
  }

  static final class TopicReader<V> implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<V> values;
    private final String topic;
    private final List<Received<V>> received = new ArrayList<>();

    private TopicReader(KafkaBroker broker, String topic, Deserializer<V> values) {
      this.topic = topic;
      this.values = values;
      this.consumer = new KafkaConsumer<>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
          ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    /** Everything read so far, after reading what has arrived since. */
    List<Received<V>> poll() {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        received.add(new Received<>(r.key(), values.deserialize(topic, r.headers(), r.value()), r.headers(),
            r.partition(), r.offset()));
      }
      return List.copyOf(received);
    }

    /** Reads until {@code done} holds for what was read, or fails after {@link #TIMEOUT}. */
    List<Received<V>> awaitRecords(Predicate<List<Received<V>>> done, String what) {
      return eventually(this::poll, done, what + " on " + topic);
    }

    /** Values read until {@code done} holds for them. */
    List<V> awaitValues(Predicate<List<V>> done, String what) {
      return awaitRecords(records -> done.test(valuesOf(records)), what).stream().map(Received::value).toList();
    }

    /** Whatever arrives during {@code quiet} after what was read so far: nothing, when the pipeline is done. */
    List<V> valuesAfter(Duration quiet) {
      int before = received.size();
      long end = System.nanoTime() + quiet.toNanos();
      while (System.nanoTime() < end) {
        poll();
      }
      return valuesOf(received.subList(before, received.size()));
    }

    private static <V> List<V> valuesOf(List<Received<V>> records) {
      return records.stream().map(Received::value).toList();
    }

    @Override
    public void close() {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  // --- HTTP ----------------------------------------------------------------------------------------

  String baseUrl() {
    return "http://127.0.0.1:" + app.httpPort();
  }

  /** GET {@code pathAndQuery}; {@code headers} are name, value pairs. */
  HttpResponse<String> get(String pathAndQuery, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
        .timeout(Duration.ofSeconds(10)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonNode json(HttpResponse<String> response) {
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
    }
  }

  /** GET a JSON answer, asking again until {@code done} holds for it. */
  JsonNode awaitJson(String pathAndQuery, Predicate<JsonNode> done, String what) {
    return eventually(() -> {
      HttpResponse<String> response = get(pathAndQuery);
      return response.statusCode() == 200 ? json(response) : null;
    }, answer -> answer != null && done.test(answer), what);
  }

  // --- waiting -------------------------------------------------------------------------------------

  /** Asks {@code probe} every 100 ms until {@code done} holds for its answer; fails after {@link #TIMEOUT}. */
  static <T> T eventually(Supplier<T> probe, Predicate<T> done, String what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what + "; last seen: " + last);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
      last = probe.get();
    }
    return last;
  }

  // --- lifecycle -----------------------------------------------------------------------------------

  @Override
  public void close() {
    for (AutoCloseable reader : readers) {
      try {
        reader.close();
      } catch (Exception ignored) {
        // closing the rest matters more
      }
    }
    producer.close(Duration.ofSeconds(5));
    app.close();
    deleteRecursively(config.stateDir());
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

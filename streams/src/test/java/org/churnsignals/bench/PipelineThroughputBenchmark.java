package org.churnsignals.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.config.Settings;
import org.churnsignals.generate.HistoryEvent;
import org.churnsignals.generate.TrafficGenerator;
import org.churnsignals.runtime.ChurnApplication;
import org.churnsignals.runtime.ChurnTopics;
import org.churnsignals.runtime.KafkaBroker;
import org.churnsignals.schema.ContactEvent;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.PriceEvent;
import org.churnsignals.schema.ReturnEvent;
import org.churnsignals.serde.ConfluentAvroSerde;
import org.churnsignals.serde.SchemaRegistries;
import org.churnsignals.serde.SchemaRegistry;
import org.junit.jupiter.api.Test;

/**
 * Measures, never asserts: how fast the whole pipeline drains a backlog on a real broker with
 * exactly-once on, and what its state costs per customer. Not part of the test suite (the name does not
 * end in Test); run it with
 * {@code mvn -B -o test -pl streams -Dtest=PipelineThroughputBenchmark -Dbench.customers=20000 -Dbench.days=60}.
 */
class PipelineThroughputBenchmark {

  /** CPU of the pipeline's own threads: its stream threads and their transactional producers' I/O threads. */
  private static double pipelineCpuSeconds() {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long nanos = 0;
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains("StreamThread")) {
        nanos += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return nanos / 1e9;
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void drainABacklog() throws Exception {
    int customers = Integer.getInteger("bench.customers", 20_000);
    int days = Integer.getInteger("bench.days", 60);
    int threads = Integer.getInteger("bench.threads", 2);
    int partitions = Integer.getInteger("bench.partitions", 4);
    Path stateDir = Files.createTempDirectory("churn-bench-state");
    try (KafkaBroker broker = KafkaBroker.start(0)) {
      String scope = "mock://bench";
      Map<String, String> overrides = new java.util.HashMap<>(Map.of(
          "kafka.bootstrap.servers", broker.bootstrapServers(),
          "schema.registry.url", scope,
          "state.dir", stateDir.toString(),
          "num.stream.threads", Integer.toString(threads),
          "http.port", "0",
          "application.server", "127.0.0.1:1"));
      // -Dbench.kafka.X=Y tries a Kafka Streams setting, e.g. -Dbench.kafka.max.task.idle.ms=-1.
      System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.kafka."))
          .forEach(k -> overrides.put(k.substring("bench.".length()), System.getProperty(k)));
      ChurnConfig config = ChurnConfig.from(Settings.load(null, Map.of(), overrides));
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
        ChurnTopics.defaults().createMissing(admin, partitions, (short) 1);
        SchemaRegistry registry = SchemaRegistries.forUrl(scope);
        Map<String, Serializer<SpecificRecord>> serializers = Map.of(
            HistoryEvent.ORDERS, (Serializer) new ConfluentAvroSerde<>(OrderEvent.class, registry).serializer(),
            HistoryEvent.CONTACTS, (Serializer) new ConfluentAvroSerde<>(ContactEvent.class, registry).serializer(),
            HistoryEvent.RETURNS, (Serializer) new ConfluentAvroSerde<>(ReturnEvent.class, registry).serializer(),
            HistoryEvent.PRICES, (Serializer) new ConfluentAvroSerde<>(PriceEvent.class, registry).serializer());
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 50);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // A plain loader: the pipeline under test is what runs exactly-once, not the backlog's producer.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        long events = 0;
        long produceStart = System.nanoTime();
        Instant start = Instant.parse("2026-01-05T00:00:00Z");
        try (KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
          var generator = new TrafficGenerator(1, customers, start,
              TrafficGenerator.Settings.DEFAULT.withHealthyFor(Duration.ofDays(days / 3)));
          for (HistoryEvent e : (Iterable<HistoryEvent>) generator.until(start.plus(Duration.ofDays(days)))::iterator) {
            producer.send(new ProducerRecord<>(e.stream(), null, e.occurredAt().toEpochMilli(), e.key(),
                serializers.get(e.stream()).serialize(e.stream(), e.event())), (metadata, error) -> {
                  if (error != null) {
                    throw new IllegalStateException("could not load the backlog", error);
                  }
                });
            events++;
          }
        }
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
        System.out.printf("BENCH produced %,d events for %,d customers over %d days in %.1f s%n", events, customers, days,
            produceSeconds);

        Set<TopicPartition> inputs = admin.describeTopics(Set.of("orders", "contacts", "returns", "prices")).allTopicNames().get()
            .values().stream().flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
            .collect(Collectors.toSet());
        Map<TopicPartition, Long> ends = admin.listOffsets(inputs.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
            .all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, en -> en.getValue().offset()));

        long drainStart = System.nanoTime();
        double cpuAtStart = ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        try (ChurnApplication app = ChurnApplication.start(config)) {
          long lag;
          do {
            Thread.sleep(1_000);
            Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(config.applicationId()).partitionsToOffsetAndMetadata().get();
            lag = 0;
            for (var end : ends.entrySet()) {
              OffsetAndMetadata c = committed.get(end.getKey());
              lag += end.getValue() - (c == null ? 0 : c.offset());
            }
          } while (lag > 0);
          double seconds = (System.nanoTime() - drainStart) / 1e9;
          double pipelineCpu = pipelineCpuSeconds();
          double processCpu = ((com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9 - cpuAtStart;
          Runtime rt = Runtime.getRuntime();
          long heapMb = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
          long stateBytes;
          try (var files = Files.walk(stateDir)) {
            stateBytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
          }
          System.out.printf("BENCH drained %,d events in %.1f s (including start-up and rebalance): %,.0f events/s with "
                  + "exactly_once_v2, %d stream threads, %d partitions, on %d cores%n", events, seconds, events / seconds,
              threads, partitions, rt.availableProcessors());
          System.out.printf("BENCH CPU while draining: %.1f s for the whole process (broker included), %.1f s in the "
                  + "pipeline's stream threads and their producers: %,.0f events per second of pipeline CPU%n",
              processCpu, pipelineCpu, events / pipelineCpu);
          System.out.printf("BENCH heap in use %d MB; state on disk %.1f MB, %,.0f bytes per customer%n", heapMb,
              stateBytes / 1e6, (double) stateBytes / customers);
        }
      }
    } finally {
      try (var files = Files.walk(stateDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}

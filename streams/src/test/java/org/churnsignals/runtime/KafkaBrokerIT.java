package org.churnsignals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class KafkaBrokerIT {
  private static final Logger log = LoggerFactory.getLogger(KafkaBrokerIT.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static long suiteStarted;
  private static KafkaBroker broker;
  private static Admin admin;

  @BeforeAll
  static void startBroker() {
    suiteStarted = System.nanoTime();
    broker = KafkaBroker.start(0);
    admin = adminOf(broker);
  }

  @AfterAll
  static void stopBroker() {
    if (admin != null) {
      admin.close();
    }
    if (broker != null) {
      broker.close();
      assertThat(broker.logDir()).doesNotExist();
      log.info("Broker started in {} ms; KafkaBrokerIT took {} ms", broker.startupTime().toMillis(),
          Duration.ofNanos(System.nanoTime() - suiteStarted).toMillis());
    }
  }

  @Test
  void bootstrapServersNameTheLoopbackAddressAndTheChosenPort() {
    assertThat(broker.port()).isPositive();
    assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
  }

  @Test
  void createsEveryTopicOnceAndCompactsOnlyTheRiskTopic() throws Exception {
    ChurnTopics topics = new ChurnTopics("t-orders", "t-contacts", "t-returns", "t-prices",
        "t-alerts", "t-risk", "t-signals", "t-dead-letters");

    Set<String> createdFirst = topics.createMissing(admin, 3, (short) 1);
    Set<String> createdAgain = topics.createMissing(admin, 3, (short) 1);

    assertThat(createdFirst).containsExactly("t-orders", "t-contacts", "t-returns", "t-prices",
        "t-alerts", "t-risk", "t-signals", "t-dead-letters");
    assertThat(createdAgain).isEmpty();
    assertThat(admin.describeTopics(createdFirst).allTopicNames().get().values())
        .allSatisfy(topic -> assertThat(topic.partitions()).hasSize(3));
    assertThat(cleanupPolicy("t-risk")).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
    assertThat(cleanupPolicy("t-orders")).isEqualTo(TopicConfig.CLEANUP_POLICY_DELETE);
  }

  @Test
  void readCommittedConsumerSeesCommittedRecordsAndNotAbortedOnes() throws Exception {
    String topic = createTopic("transactions");
    Properties producerConfig = new Properties();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "churn-signals-it-" + UUID.randomUUID());

    try (KafkaProducer<String, String> producer =
             new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "C-1", "aborted"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "C-1", "committed"));
      producer.commitTransaction();
    }

    assertThat(readCommitted(topic, 1)).containsExactly("committed");
  }

  @Test
  void streamsAppWithExactlyOnceV2TransformsEveryRecord() throws Exception {
    String input = createTopic("streams-input");
    String output = createTopic("streams-output");
    Path stateDir = Files.createTempDirectory("churn-signals-it-state-");
    Properties streamsConfig = new Properties();
    streamsConfig.put(StreamsConfig.APPLICATION_ID_CONFIG, "churn-signals-it-" + UUID.randomUUID());
    streamsConfig.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    streamsConfig.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    streamsConfig.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    // Kafka Streams 4.3 warns that this should be true, for itself and again for its consumer's partition assignor.
    String globalHandlerEnabled = StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;
    streamsConfig.put(globalHandlerEnabled, true);
    streamsConfig.put(StreamsConfig.mainConsumerPrefix(globalHandlerEnabled), true);
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(streamsConfig)));
    builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
        .mapValues(value -> value.toUpperCase())
        .to(output, Produced.with(Serdes.String(), Serdes.String()));

    try (KafkaStreams streams = new KafkaStreams(builder.build(), streamsConfig);
         KafkaProducer<String, String> producer = new KafkaProducer<>(
             Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
             new StringSerializer(), new StringSerializer())) {
      streams.start();
      producer.send(new ProducerRecord<>(input, "C-1", "late delivery")).get();
      producer.send(new ProducerRecord<>(input, "C-2", "unanswered call")).get();

      assertThat(readCommitted(output, 2)).containsExactly("LATE DELIVERY", "UNANSWERED CALL");
      streams.close(TIMEOUT);
    } finally {
      Utils.delete(stateDir.toFile());
    }
  }

  @Test
  void keepsTopicsAcrossRestartsInAGivenLogDirectory() throws Exception {
    Path logDir = Files.createTempDirectory("churn-signals-it-kafka-");
    try {
      try (KafkaBroker first = KafkaBroker.start(0, logDir); Admin firstAdmin = adminOf(first)) {
        firstAdmin.createTopics(List.of(new NewTopic("survivor", 1, (short) 1))).all().get();
      }

      try (KafkaBroker second = KafkaBroker.start(0, logDir); Admin secondAdmin = adminOf(second)) {
        assertThat(secondAdmin.listTopics().names().get()).contains("survivor");
      }
      assertThat(logDir).exists();
    } finally {
      Utils.delete(logDir.toFile());
    }
  }

  private static Admin adminOf(KafkaBroker broker) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  private static String createTopic(String prefix) throws Exception {
    String name = prefix + "-" + UUID.randomUUID();
    admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
    return name;
  }

  private static String cleanupPolicy(String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
    return config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
  }

  private static List<String> readCommitted(String topic, int expected) {
    Map<String, Object> consumerConfig = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "churn-signals-it-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
             new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
      // A short extra poll shows whether anything that should stay hidden (an aborted record) slipped through.
      consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
    }
    return values;
  }
}

package org.churnsignals.runtime;

import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.generate.HistoryEvent;
import org.churnsignals.generate.TrafficGenerator;
import org.churnsignals.schema.ContactEvent;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.PriceEvent;
import org.churnsignals.schema.ReturnEvent;
import org.churnsignals.serde.ConfluentAvroSerde;
import org.churnsignals.serde.SchemaRegistry;

/**
 * The demo's customers: publishes the generator's recent history at once, then its events as the wall
 * clock reaches them, through the same Avro serde any producer would use.
 */
final class LiveTraffic implements AutoCloseable {

  private final TrafficGenerator generator;
  private final KafkaProducer<String, byte[]> producer;
  private final Map<String, String> topics;
  private final Map<String, Serializer<SpecificRecord>> serializers;
  private final AtomicLong published = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  @SuppressWarnings({"unchecked", "rawtypes"})
  LiveTraffic(TrafficGenerator generator, ChurnConfig config, SchemaRegistry registry) {
    this.generator = generator;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    ChurnConfig.Topics t = config.topics();
    this.topics = Map.of(HistoryEvent.ORDERS, t.orders(), HistoryEvent.CONTACTS, t.contacts(),
        HistoryEvent.RETURNS, t.returns(), HistoryEvent.PRICES, t.prices());
    this.serializers = Map.of(
        HistoryEvent.ORDERS, (Serializer) new ConfluentAvroSerde<>(OrderEvent.class, registry).serializer(),
        HistoryEvent.CONTACTS, (Serializer) new ConfluentAvroSerde<>(ContactEvent.class, registry).serializer(),
        HistoryEvent.RETURNS, (Serializer) new ConfluentAvroSerde<>(ReturnEvent.class, registry).serializer(),
        HistoryEvent.PRICES, (Serializer) new ConfluentAvroSerde<>(PriceEvent.class, registry).serializer());
    this.thread = new Thread(this::publishAsTimePasses, "demo-traffic");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  long published() {
    return published.get();
  }

  private void publishAsTimePasses() {
    while (running) {
      generator.until(Instant.now()).forEach(this::publish);
      producer.flush();
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void publish(HistoryEvent event) {
    String topic = topics.get(event.stream());
    byte[] value = serializers.get(event.stream()).serialize(topic, event.event());
    producer.send(new ProducerRecord<>(topic, null, event.occurredAt().toEpochMilli(), event.key(), value));
    published.incrementAndGet();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5_000);
    producer.close(java.time.Duration.ofSeconds(5));
  }
}

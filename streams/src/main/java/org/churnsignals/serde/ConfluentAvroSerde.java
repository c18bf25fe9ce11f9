package org.churnsignals.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of the public topics: Avro in the Confluent wire format (magic byte 0, 4-byte big-endian schema id,
 * Avro binary), with schemas in a Confluent Schema Registry or the in-process {@code mock://} one.
 *
 * <pre>{@code
 * Serde<OrderEvent> orders = new ConfluentAvroSerde<>(OrderEvent.class, SchemaRegistries.forUrl(url));
 * }</pre>
 *
 * <p>The bytes are exactly those of Confluent's {@code KafkaAvroSerializer}, so users who have Confluent's Maven
 * repository can swap in {@code io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde} unchanged, and Confluent
 * consumers, producers and tools read and write these topics as they are.
 */
public class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final ConfluentAvroSerializer<T> serializer;
  private final ConfluentAvroDeserializer<T> deserializer;

  public ConfluentAvroSerde(Class<T> type, SchemaRegistry registry) {
    this.serializer = new ConfluentAvroSerializer<>(type, registry);
    this.deserializer = new ConfluentAvroDeserializer<>(type, registry);
  }

  /** Only {@code isKey} is read: a key serde registers its schema under {@code <topic>-key}. */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }
}

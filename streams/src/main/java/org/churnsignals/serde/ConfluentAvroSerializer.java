package org.churnsignals.serde;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes records in the Confluent wire format: magic byte 0, the schema's 4-byte big-endian registry id, the
 * Avro binary. The schema is registered under {@code <topic>-value} ({@code <topic>-key} for keys), Confluent's
 * TopicNameStrategy, once per topic.
 */
public class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

  static final byte MAGIC_BYTE = 0;
  static final int HEADER_SIZE = 5;

  private final SpecificRecordCodec<T> codec;
  private final SchemaRegistry registry;
  private final Map<String, byte[]> headersByTopic = new ConcurrentHashMap<>();
  private volatile boolean isKey;

  public ConfluentAvroSerializer(Class<T> type, SchemaRegistry registry) {
    this.codec = new SpecificRecordCodec<>(type);
    this.registry = registry;
  }

  /** Only {@code isKey} is read: keys are registered under {@code <topic>-key}. */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    headersByTopic.clear();
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    byte[] header = headersByTopic.computeIfAbsent(topic, this::header);
    return codec.encode(record, header, topic);
  }

  private byte[] header(String topic) {
    int id = registry.register(topic + (isKey ? "-key" : "-value"), codec.schema());
    return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(id).array();
  }
}

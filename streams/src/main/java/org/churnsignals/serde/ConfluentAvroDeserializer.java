package org.churnsignals.serde;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the Confluent wire format. The writer's schema is fetched from the registry by the id in the
 * header and resolved to {@code T}'s schema, so records written with an older or newer compatible schema read
 * fine. Bad bytes raise {@link RecordDecodingException}; an unreachable registry raises
 * {@link SchemaRegistryException}, because then the record is not at fault.
 */
public class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private final SpecificRecordCodec<T> codec;
  private final SchemaRegistry registry;
  private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

  public ConfluentAvroDeserializer(Class<T> type, SchemaRegistry registry) {
    this.codec = new SpecificRecordCodec<>(type);
    this.registry = registry;
  }

  @Override
  public T deserialize(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (bytes.length > 0 && bytes[0] != ConfluentAvroSerializer.MAGIC_BYTE) {
      String hint = bytes[0] == '{' ? ", '{', perhaps JSON" : "";
      throw new RecordDecodingException(RecordDecodingException.NO_MAGIC_BYTE, String.format(
          "record does not start with the Confluent magic byte 0 (first byte 0x%02x%s)", bytes[0] & 0xff, hint));
    }
    if (bytes.length < ConfluentAvroSerializer.HEADER_SIZE) {
      throw new RecordDecodingException(RecordDecodingException.TRUNCATED, "record is " + bytes.length
          + " bytes long, shorter than the 5-byte Confluent header (magic byte and schema id)");
    }
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    return codec.decode(bytes, ConfluentAvroSerializer.HEADER_SIZE, readerFor(id), "written with schema id " + id);
  }

  private DatumReader<T> readerFor(int id) {
    DatumReader<T> reader = readersByWriterId.get(id);
    if (reader == null) {
      try {
        reader = codec.readerFrom(registry.schemaById(id));
      } catch (UnknownSchemaIdException e) {
        throw new RecordDecodingException(RecordDecodingException.UNKNOWN_SCHEMA_ID, e.getMessage(), e);
      }
      readersByWriterId.putIfAbsent(id, reader);
    }
    return reader;
  }
}

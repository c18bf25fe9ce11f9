package org.churnsignals.serde;

import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Plain Avro binary with no header and no registry, for state stores and internal repartition topics: only
 * this application reads them, always with the schema compiled into it. Not for the public topics, whose
 * readers need the schema id ({@link ConfluentAvroSerde}).
 *
 * <pre>{@code
 * Materialized.with(Serdes.String(), new BinaryAvroSerde<>(CustomerRisk.class))
 * }</pre>
 */
public class BinaryAvroSerde<T extends SpecificRecord> implements Serde<T> {

  private static final byte[] NO_HEADER = new byte[0];

  private final Serializer<T> serializer;
  private final Deserializer<T> deserializer;

  public BinaryAvroSerde(Class<T> type) {
    SpecificRecordCodec<T> codec = new SpecificRecordCodec<>(type);
    DatumReader<T> reader = codec.ownReader();
    this.serializer = (topic, record) -> record == null ? null : codec.encode(record, NO_HEADER, topic);
    this.deserializer = (topic, bytes) -> bytes == null ? null : codec.decode(bytes, 0, reader, "in plain Avro binary");
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

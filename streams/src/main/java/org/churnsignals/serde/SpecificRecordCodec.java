package org.churnsignals.serde;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Avro binary encoding and decoding of one generated class, shared by both serdes. Datum readers and writers
 * are thread safe; encoders, decoders and buffers are not, so each thread reuses its own (Kafka Streams hands one
 * serde instance to every stream thread).
 */
final class SpecificRecordCodec<T extends SpecificRecord> {

  private final Class<T> type;
  private final SpecificData model;
  private final Schema schema;
  private final DatumWriter<T> writer;
  private final ThreadLocal<Output> output = ThreadLocal.withInitial(Output::new);
  private final ThreadLocal<BinaryDecoder> decoder = new ThreadLocal<>();

  SpecificRecordCodec(Class<T> type) {
    this.type = type;
    // The class's own model carries its logical-type conversions (timestamp-millis <-> Instant).
    this.model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.writer = new SpecificDatumWriter<>(schema, model);
  }

  Schema schema() {
    return schema;
  }

  String typeName() {
    return type.getSimpleName();
  }

  /** A reader that resolves data written with {@code writerSchema} to this class's schema. */
  DatumReader<T> readerFrom(Schema writerSchema) {
    return new SpecificDatumReader<>(writerSchema, schema, model);
  }

  DatumReader<T> ownReader() {
    return new SpecificDatumReader<>(schema, schema, model);
  }

  /** {@code header} followed by the Avro binary of {@code record}. */
  byte[] encode(T record, byte[] header, String topic) {
    Output out = output.get();
    out.bytes.reset();
    try {
      out.bytes.write(header);
      out.encoder = EncoderFactory.get().directBinaryEncoder(out.bytes, out.encoder);
      writer.write(record, out.encoder);
      out.encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("could not write " + typeName() + " for topic '" + topic + "': "
          + e.getMessage(), e);
    }
    return out.bytes.toByteArray();
  }

  /**
   * Decodes the Avro binary at {@code bytes[offset..]}; all of it must belong to the one record.
   *
   * @param writtenWith how the bytes were written, for messages: "written with schema id 7"
   */
  T decode(byte[] bytes, int offset, DatumReader<T> reader, String writtenWith) {
    BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, decoder.get());
    decoder.set(in);
    T value;
    try {
      value = reader.read(null, in);
    } catch (EOFException e) {
      throw new RecordDecodingException(RecordDecodingException.TRUNCATED, "record ends before its Avro data does: "
          + (bytes.length - offset) + " bytes are too few for " + typeName() + " " + writtenWith, e);
    } catch (IOException | RuntimeException e) {
      throw new RecordDecodingException(RecordDecodingException.UNDECODABLE, "record cannot be read as "
          + typeName() + " " + writtenWith + ": " + describe(e), e);
    }
    boolean complete;
    try {
      complete = in.isEnd();
    } catch (IOException e) {
      complete = false;
    }
    if (!complete) {
      throw new RecordDecodingException(RecordDecodingException.UNDECODABLE, "record goes on after a complete "
          + typeName() + " " + writtenWith + ": it was written with another schema");
    }
    return value;
  }

  private static String describe(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static final class Output {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    BinaryEncoder encoder;
  }
}

package org.churnsignals.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.OrderEventType;
import org.churnsignals.schema.PriceEvent;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConfluentAvroSerdeTest {

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

  @Test
  void writesTheConfluentWireFormatByteForByte() {
    ConfluentAvroSerde<PriceEvent> serde = new ConfluentAvroSerde<>(PriceEvent.class, registry);

    byte[] bytes = serde.serializer().serialize("prices", SampleRecords.priceDrop());

    String expected = "00" + "00000001"          // magic byte, schema id 1 (big-endian)
        + "06" + hex("P-1")                      // eventId: length 3 zig-zagged to 6, then UTF-8
        + "c0a2a78e9567"                         // occurredAt: 1772360100000 ms, zig-zag varint
        + "0c" + hex("SKU-42")                   // sku: length 6 zig-zagged to 12
        + "8827"                                 // oldPriceCents 2500: zig-zag 5000
        + "9e1f";                                // newPriceCents 1999: zig-zag 3998
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(expected);
  }

  @Test
  void registersTheValueSchemaUnderTheTopicNameSubject() {
    ConfluentAvroSerde<PriceEvent> serde = new ConfluentAvroSerde<>(PriceEvent.class, registry);

    serde.serializer().serialize("prices", SampleRecords.priceDrop());

    assertThat(registry.subjects()).containsExactly("prices-value");
    assertThat(registry.schemaById(1)).isEqualTo(PriceEvent.getClassSchema());
  }

  @Test
  void registersAKeySchemaUnderTheTopicKeySubjectWhenConfiguredAsKey() {
    ConfluentAvroSerde<PriceEvent> serde = new ConfluentAvroSerde<>(PriceEvent.class, registry);
    serde.configure(Map.of(), true);

    serde.serializer().serialize("prices", SampleRecords.priceDrop());

    assertThat(registry.subjects()).containsExactly("prices-key");
  }

  @Test
  void registersOncePerTopicAndThenServesTheIdFromItsCache() {
    AtomicInteger registrations = new AtomicInteger();
    SchemaRegistry counting = new SchemaRegistry() {
      @Override
      public int register(String subject, Schema schema) {
        registrations.incrementAndGet();
        return registry.register(subject, schema);
      }

      @Override
      public Schema schemaById(int id) {
        return registry.schemaById(id);
      }
    };
    ConfluentAvroSerde<PriceEvent> serde = new ConfluentAvroSerde<>(PriceEvent.class, counting);

    for (int i = 0; i < 3; i++) {
      serde.serializer().serialize("prices", SampleRecords.priceDrop());
      serde.serializer().serialize("prices-archive", SampleRecords.priceDrop());
    }

    assertThat(registrations).hasValue(2);
    assertThat(registry.subjects()).containsExactly("prices-value", "prices-archive-value");
  }

  static Stream<Named<SpecificRecord>> everyType() {
    return SampleRecords.everyType().stream().map(SampleRecords::named);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyType")
  void readsBackExactlyWhatItWrote(SpecificRecord record) {
    ConfluentAvroSerde<SpecificRecord> serde = serdeFor(record);

    byte[] bytes = serde.serializer().serialize("topic", record);

    assertThat(serde.deserializer().deserialize("topic", bytes)).isEqualTo(record);
  }

  @Test
  void turnsNullIntoATombstoneAndATombstoneIntoNull() {
    ConfluentAvroSerde<PriceEvent> serde = new ConfluentAvroSerde<>(PriceEvent.class, registry);

    assertThat(serde.serializer().serialize("prices", null)).isNull();
    assertThat(serde.deserializer().deserialize("prices", null)).isNull();
  }

  @Test
  void rejectsAnUnknownSchemaIdNamingTheId() {
    ConfluentAvroSerde<PriceEvent> serde = new ConfluentAvroSerde<>(PriceEvent.class, registry);
    byte[] bytes = withHeader(99, new byte[] {6, 'P', '-', '1'});

    assertThatThrownBy(() -> serde.deserializer().deserialize("prices", bytes))
        .isInstanceOfSatisfying(RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(RecordDecodingException.UNKNOWN_SCHEMA_ID))
        .hasMessageContaining("unknown schema id 99");
  }

  @Test
  void rejectsBytesWithoutTheMagicByteShowingTheFirstByte() {
    ConfluentAvroSerde<PriceEvent> serde = new ConfluentAvroSerde<>(PriceEvent.class, registry);
    byte[] json = "{\"sku\":\"SKU-42\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> serde.deserializer().deserialize("prices", json))
        .isInstanceOfSatisfying(RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(RecordDecodingException.NO_MAGIC_BYTE))
        .hasMessageStartingWith("record does not start with the Confluent magic byte 0 (first byte 0x7b");
  }

  @Test
  void rejectsBytesShorterThanTheHeaderAsTruncated() {
    ConfluentAvroSerde<PriceEvent> serde = new ConfluentAvroSerde<>(PriceEvent.class, registry);

    assertThatThrownBy(() -> serde.deserializer().deserialize("prices", new byte[] {0, 0, 0}))
        .isInstanceOfSatisfying(RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(RecordDecodingException.TRUNCATED))
        .hasMessage("record is 3 bytes long, shorter than the 5-byte Confluent header (magic byte and schema id)");
  }

  @Test
  void rejectsAHeaderWithNoRecordAsTruncated() {
    ConfluentAvroSerde<PriceEvent> serde = new ConfluentAvroSerde<>(PriceEvent.class, registry);
    byte[] bytes = serde.serializer().serialize("prices", SampleRecords.priceDrop());
    byte[] headerOnly = java.util.Arrays.copyOf(bytes, 5);

    assertThatThrownBy(() -> serde.deserializer().deserialize("prices", headerOnly))
        .isInstanceOfSatisfying(RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(RecordDecodingException.TRUNCATED))
        .hasMessageContaining("record ends before its Avro data does")
        .hasMessageContaining("PriceEvent written with schema id 1");
  }

  @Test
  void rejectsAHeaderWithHalfARecordAsTruncated() {
    ConfluentAvroSerde<OrderEvent> serde = new ConfluentAvroSerde<>(OrderEvent.class, registry);
    byte[] bytes = serde.serializer().serialize("orders", SampleRecords.orderPlaced());
    byte[] half = java.util.Arrays.copyOf(bytes, 5 + (bytes.length - 5) / 2);

    assertThatThrownBy(() -> serde.deserializer().deserialize("orders", half))
        .isInstanceOfSatisfying(RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(RecordDecodingException.TRUNCATED))
        .hasMessageContaining("record ends before its Avro data does");
  }

  @Test
  void readsARecordWrittenWithAnOlderSchemaThatLackedTheOptionalFields() throws IOException {
    Schema older = new Schema.Parser().parse("""
        {"type": "record", "name": "OrderEvent", "namespace": "org.churnsignals.schema", "fields": [
          {"name": "eventId", "type": "string"},
          {"name": "occurredAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
          {"name": "customerId", "type": "string"},
          {"name": "orderId", "type": "string"},
          {"name": "type", "type": {"type": "enum", "name": "OrderEventType",
            "symbols": ["PLACED", "DELAY_NOTIFIED", "DELIVERED", "CANCELLED"]}},
          {"name": "promisedBy", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}], "default": null}
        ]}""");
    GenericRecord written = new GenericData.Record(older);
    written.put("eventId", "E-9");
    written.put("occurredAt", SampleRecords.MARCH_1.toEpochMilli());
    written.put("customerId", "C-1");
    written.put("orderId", "O-17");
    written.put("type", new GenericData.EnumSymbol(older.getField("type").schema(), "PLACED"));
    written.put("promisedBy", Instant.parse("2026-03-04T18:00:00Z").toEpochMilli());
    byte[] bytes = withHeader(registry.register("orders-value", older), avroBinary(older, written));
    ConfluentAvroSerde<OrderEvent> serde = new ConfluentAvroSerde<>(OrderEvent.class, registry);

    OrderEvent read = serde.deserializer().deserialize("orders", bytes);

    assertThat(read).isEqualTo(OrderEvent.newBuilder()
        .setEventId("E-9").setOccurredAt(SampleRecords.MARCH_1).setCustomerId("C-1").setOrderId("O-17")
        .setType(OrderEventType.PLACED).setPromisedBy(Instant.parse("2026-03-04T18:00:00Z"))
        .build());
    assertThat(read.getTotalCents()).isNull();
    assertThat(read.getLines()).isEmpty();
  }

  @Test
  void readsARecordWrittenWithANewerSchemaIgnoringTheFieldsItAdded() throws IOException {
    Schema newer = new Schema.Parser().parse("""
        {"type": "record", "name": "PriceEvent", "namespace": "org.churnsignals.schema", "fields": [
          {"name": "eventId", "type": "string"},
          {"name": "occurredAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
          {"name": "sku", "type": "string"},
          {"name": "currency", "type": "string", "default": "EUR"},
          {"name": "oldPriceCents", "type": "long"},
          {"name": "newPriceCents", "type": "long"}
        ]}""");
    GenericRecord written = new GenericData.Record(newer);
    written.put("eventId", "P-1");
    written.put("occurredAt", SampleRecords.MARCH_1.toEpochMilli());
    written.put("sku", "SKU-42");
    written.put("currency", "USD");
    written.put("oldPriceCents", 2500L);
    written.put("newPriceCents", 1999L);
    byte[] bytes = withHeader(registry.register("prices-value", newer), avroBinary(newer, written));
    ConfluentAvroSerde<PriceEvent> serde = new ConfluentAvroSerde<>(PriceEvent.class, registry);

    assertThat(serde.deserializer().deserialize("prices", bytes)).isEqualTo(SampleRecords.priceDrop());
  }

  @Test
  void rejectsARecordWhoseWriterSchemaLacksARequiredFieldAsUndecodable() throws IOException {
    Schema withoutSku = new Schema.Parser().parse("""
        {"type": "record", "name": "PriceEvent", "namespace": "org.churnsignals.schema", "fields": [
          {"name": "eventId", "type": "string"},
          {"name": "occurredAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
          {"name": "oldPriceCents", "type": "long"},
          {"name": "newPriceCents", "type": "long"}
        ]}""");
    GenericRecord written = new GenericData.Record(withoutSku);
    written.put("eventId", "P-1");
    written.put("occurredAt", SampleRecords.MARCH_1.toEpochMilli());
    written.put("oldPriceCents", 2500L);
    written.put("newPriceCents", 1999L);
    byte[] bytes = withHeader(registry.register("prices-value", withoutSku), avroBinary(withoutSku, written));
    ConfluentAvroSerde<PriceEvent> serde = new ConfluentAvroSerde<>(PriceEvent.class, registry);

    assertThatThrownBy(() -> serde.deserializer().deserialize("prices", bytes))
        .isInstanceOfSatisfying(RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(RecordDecodingException.UNDECODABLE))
        .hasMessageContaining("record cannot be read as PriceEvent written with schema id 1")
        .hasMessageContaining("sku");
  }

  @Test
  void rejectsBytesThatGoOnAfterTheRecordAsUndecodable() {
    ConfluentAvroSerde<PriceEvent> serde = new ConfluentAvroSerde<>(PriceEvent.class, registry);
    byte[] bytes = serde.serializer().serialize("prices", SampleRecords.priceDrop());
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 3);

    assertThatThrownBy(() -> serde.deserializer().deserialize("prices", longer))
        .isInstanceOfSatisfying(RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(RecordDecodingException.UNDECODABLE))
        .hasMessageContaining("goes on after a complete PriceEvent");
  }

  @Test
  void oneSerdeServesManyThreadsAtOnce() throws Exception {
    ConfluentAvroSerde<OrderEvent> serde = new ConfluentAvroSerde<>(OrderEvent.class, registry);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String customer = "C-" + t;
        results.add(threads.submit(() -> {
          int matches = 0;
          for (int i = 0; i < 2_000; i++) {
            OrderEvent order = OrderEvent.newBuilder(SampleRecords.orderPlaced())
                .setCustomerId(customer).setOrderId("O-" + i).build();
            byte[] bytes = serde.serializer().serialize("orders", order);
            matches += serde.deserializer().deserialize("orders", bytes).equals(order) ? 1 : 0;
          }
          return matches;
        }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get()).isEqualTo(2_000);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @SuppressWarnings("unchecked")
  private ConfluentAvroSerde<SpecificRecord> serdeFor(SpecificRecord record) {
    return new ConfluentAvroSerde<>((Class<SpecificRecord>) record.getClass(), registry);
  }

  static byte[] withHeader(int schemaId, byte[] avro) {
    return ByteBuffer.allocate(5 + avro.length).put((byte) 0).putInt(schemaId).put(avro).array();
  }

  private static byte[] avroBinary(Schema schema, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static String hex(String text) {
    return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
  }
}

package org.churnsignals.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.churnsignals.topology.PipelineFixture.T0;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.churnsignals.schema.ContactChannel;
import org.churnsignals.schema.ContactEvent;
import org.churnsignals.schema.ContactEventType;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.OrderEventType;
import org.churnsignals.schema.OrderLine;
import org.churnsignals.schema.ReturnEventType;
import org.churnsignals.serde.ConfluentAvroSerde;
import org.churnsignals.topology.PipelineFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Records on the orders topic that cannot be used: each goes to the dead-letter topic as received, and nothing stops. */
class DeadLetterTest {

  private static final Duration DAY = Duration.ofDays(1);
  /** The driver's wall clock at the start of every test. */
  private static final Instant WALL_CLOCK = Instant.parse("2026-11-01T00:00:00Z");
  private static final byte[] KEY = "C-1".getBytes(StandardCharsets.UTF_8);

  private final PipelineFixture pipeline = new PipelineFixture();

  @AfterEach
  void close() {
    pipeline.close();
  }

  private byte[] wireBytes(OrderEvent event) {
    return new ConfluentAvroSerde<>(OrderEvent.class, pipeline.registry()).serializer().serialize("orders", event);
  }

  private OrderEvent goodOrder() {
    return pipeline.placed("C-1", "O-1", T0, T0.plus(DAY.multipliedBy(3)), 5_000);
  }

  /** Avro bytes in the wire format from a writer schema of the test's own, registered like a producer's. */
  private byte[] writtenWith(String writerSchema, GenericRecord record) throws IOException {
    Schema schema = record.getSchema();
    int id = pipeline.registry().register("orders-value", schema);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static GenericRecord orderRecord(String writerSchema, String type) {
    GenericRecord record = new GenericData.Record(new Schema.Parser().parse(writerSchema));
    record.put("eventId", "E-99");
    record.put("occurredAt", T0.toEpochMilli());
    record.put("customerId", "C-1");
    record.put("orderId", "O-1");
    record.put("type", new GenericData.EnumSymbol(record.getSchema().getField("type").schema(), type));
    if (record.getSchema().getField("totalCents") != null) {
      record.put("totalCents", 5_000L);
    }
    return record;
  }

  private static String orderSchemaWith(String typeSymbols, String extraFields) {
    return """
        {"type": "record", "name": "OrderEvent", "namespace": "org.churnsignals.schema", "fields": [
          {"name": "eventId", "type": "string"},
          {"name": "occurredAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
          {"name": "customerId", "type": "string"},
          {"name": "orderId", "type": "string"},
          {"name": "type", "type": {"type": "enum", "name": "OrderEventType", "symbols": [%s]}}%s
        ]}""".formatted(typeSymbols, extraFields);
  }

  /** The single dead letter so far, checked to carry the record as received and every header. */
  private TestRecord<byte[], byte[]> deadLetterOf(byte[] key, byte[] value, String reason) {
    List<TestRecord<byte[], byte[]>> deadLetters = pipeline.deadLetters();
    assertThat(deadLetters).hasSize(1);
    TestRecord<byte[], byte[]> letter = deadLetters.get(0);
    assertThat(letter.key()).isEqualTo(key);
    assertThat(letter.value()).isEqualTo(value);
    assertThat(header(letter, "dead-letter.source-topic")).isEqualTo("orders");
    assertThat(header(letter, "dead-letter.source-partition")).isEqualTo("0");
    assertThat(header(letter, "dead-letter.source-offset")).isEqualTo("0");
    assertThat(header(letter, "dead-letter.reason")).isEqualTo(reason);
    assertThat(header(letter, "dead-letter.error")).isNotBlank();
    return letter;
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** A good order after the bad record is still read: its overcharge is signalled. */
  private void assertTheNextGoodRecordIsProcessed() {
    OrderEvent good = pipeline.placed("C-7", "O-7", T0, T0.plus(DAY.multipliedBy(3)), 5_500, 5_000L,
        List.of(new OrderLine("SKU-1", 5_500L, 1)));
    pipeline.sendRawOrder("C-7".getBytes(StandardCharsets.UTF_8), wireBytes(good));

    assertThat(pipeline.signals("C-7", "OVERCHARGED")).hasSize(1);
    assertThat(pipeline.deadLetters()).isEmpty();
  }

  @Test
  void shouldDeadLetterBytesThatAreNotValidAvro() {
    byte[] header = Arrays.copyOf(wireBytes(goodOrder()), 5);
    // A string whose length is -1.
    byte[] value = ByteBuffer.allocate(7).put(header).put((byte) 0x01).put((byte) 0x00).array();

    pipeline.sendRawOrder(KEY, value);

    deadLetterOf(KEY, value, "undecodable");
    assertTheNextGoodRecordIsProcessed();
  }

  @Test
  void shouldDeadLetterARecordWithoutTheMagicByte() {
    byte[] value = "{\"eventId\": \"E-1\", \"customerId\": \"C-1\"}".getBytes(StandardCharsets.UTF_8);

    pipeline.sendRawOrder(KEY, value);

    TestRecord<byte[], byte[]> letter = deadLetterOf(KEY, value, "no_magic_byte");
    assertThat(header(letter, "dead-letter.error")).contains("perhaps JSON");
    assertTheNextGoodRecordIsProcessed();
  }

  @Test
  void shouldDeadLetterARecordWrittenWithASchemaIdTheRegistryDoesNotKnow() {
    byte[] value = wireBytes(goodOrder());
    ByteBuffer.wrap(value, 1, 4).putInt(999);

    pipeline.sendRawOrder(KEY, value);

    TestRecord<byte[], byte[]> letter = deadLetterOf(KEY, value, "unknown_schema_id");
    assertThat(header(letter, "dead-letter.error")).contains("999");
    assertTheNextGoodRecordIsProcessed();
  }

  @Test
  void shouldDeadLetterATruncatedRecord() {
    byte[] whole = wireBytes(goodOrder());
    byte[] value = Arrays.copyOf(whole, whole.length - 8);

    pipeline.sendRawOrder(KEY, value);

    deadLetterOf(KEY, value, "truncated");
    assertTheNextGoodRecordIsProcessed();
  }

  @Test
  void shouldDeadLetterARecordShorterThanTheWireFormatHeader() {
    byte[] value = {0, 0, 1};

    pipeline.sendRawOrder(KEY, value);

    deadLetterOf(KEY, value, "truncated");
    assertTheNextGoodRecordIsProcessed();
  }

  @Test
  void shouldDeadLetterAnEventTypeTheSchemaDoesNotKnow() throws IOException {
    String writer = orderSchemaWith("\"PLACED\", \"DELAY_NOTIFIED\", \"DELIVERED\", \"CANCELLED\", \"RETURNED\"", "");
    byte[] value = writtenWith(writer, orderRecord(writer, "RETURNED"));

    pipeline.sendRawOrder(KEY, value);

    TestRecord<byte[], byte[]> letter = deadLetterOf(KEY, value, "undecodable");
    assertThat(header(letter, "dead-letter.error")).contains("RETURNED");
    assertTheNextGoodRecordIsProcessed();
  }

  @Test
  void shouldDeadLetterAPlacedOrderWhoseWriterSchemaLacksThePromise() throws IOException {
    String writer = orderSchemaWith("\"PLACED\", \"DELAY_NOTIFIED\", \"DELIVERED\", \"CANCELLED\"",
        ", {\"name\": \"totalCents\", \"type\": [\"null\", \"long\"], \"default\": null}");
    byte[] value = writtenWith(writer, orderRecord(writer, "PLACED"));

    pipeline.sendRawOrder(KEY, value);

    TestRecord<byte[], byte[]> letter = deadLetterOf(KEY, value, "missing_field");
    assertThat(header(letter, "dead-letter.error")).isEqualTo("missing required field 'promisedBy' for type PLACED");
    assertTheNextGoodRecordIsProcessed();
  }

  @Test
  void shouldDeadLetterAPlacedOrderWithoutItsPromise() {
    OrderEvent order = goodOrder();
    order.setPromisedBy(null);
    byte[] value = wireBytes(order);

    pipeline.sendRawOrder(KEY, value);

    TestRecord<byte[], byte[]> letter = deadLetterOf(KEY, value, "missing_field");
    assertThat(header(letter, "dead-letter.error")).isEqualTo("missing required field 'promisedBy' for type PLACED");
    assertTheNextGoodRecordIsProcessed();
  }

  @Test
  void shouldDeadLetterAPlacedOrderWithoutItsTotal() {
    OrderEvent order = goodOrder();
    order.setTotalCents(null);
    byte[] value = wireBytes(order);

    pipeline.sendRawOrder(KEY, value);

    TestRecord<byte[], byte[]> letter = deadLetterOf(KEY, value, "missing_field");
    assertThat(header(letter, "dead-letter.error")).isEqualTo("missing required field 'totalCents' for type PLACED");
    assertTheNextGoodRecordIsProcessed();
  }

  @Test
  void shouldDeadLetterAnOrderWithANegativePrice() {
    OrderEvent order = pipeline.placed("C-1", "O-1", T0, T0.plus(DAY), 5_000, null, List.of(new OrderLine("SKU-1", -100L, 1)));
    byte[] value = wireBytes(order);

    pipeline.sendRawOrder(KEY, value);

    TestRecord<byte[], byte[]> letter = deadLetterOf(KEY, value, "invalid_value");
    assertThat(header(letter, "dead-letter.error")).isEqualTo("field 'lines.unitPriceCents' must not be negative, got -100");
    assertTheNextGoodRecordIsProcessed();
  }

  @Test
  void shouldDeadLetterAnEventDatedMoreThanADayAfterTheWallClock() {
    Instant future = WALL_CLOCK.plus(DAY).plus(Duration.ofHours(1));
    byte[] value = wireBytes(pipeline.placed("C-1", "O-1", future, future.plus(DAY), 5_000));

    pipeline.sendRawOrder(KEY, value);

    deadLetterOf(KEY, value, "future_time");
    assertTheNextGoodRecordIsProcessed();
  }

  @Test
  void shouldAcceptAnEventDatedLessThanADayAfterTheWallClock() {
    Instant soon = WALL_CLOCK.plus(Duration.ofHours(20));
    pipeline.sendRawOrder(KEY, wireBytes(pipeline.placed("C-1", "O-1", soon, soon.plus(DAY), 5_000, 4_000L,
        List.of(new OrderLine("SKU-1", 5_000L, 1)))));

    assertThat(pipeline.deadLetters()).isEmpty();
    assertThat(pipeline.signals("C-1", "OVERCHARGED")).hasSize(1);
  }

  @Test
  void shouldDeadLetterARecordKeyedOtherwiseThanByItsCustomer() {
    byte[] key = "C-2".getBytes(StandardCharsets.UTF_8);
    byte[] value = wireBytes(goodOrder());

    pipeline.sendRawOrder(key, value);

    TestRecord<byte[], byte[]> letter = deadLetterOf(key, value, "key_mismatch");
    assertThat(header(letter, "dead-letter.error")).contains("'C-2'").contains("'C-1'");
    assertTheNextGoodRecordIsProcessed();
  }

  @Test
  void shouldDeadLetterAReturnRequestWithoutAReasonNamingTheReturnsTopic() {
    pipeline.send(pipeline.returnEvent(ReturnEventType.REQUESTED, "C-1", "R-1", "O-1", T0));

    assertThat(pipeline.deadLetters()).singleElement().satisfies(letter -> {
      assertThat(header(letter, "dead-letter.source-topic")).isEqualTo("returns");
      assertThat(header(letter, "dead-letter.reason")).isEqualTo("missing_field");
      assertThat(header(letter, "dead-letter.error")).isEqualTo("missing required field 'reason' for type REQUESTED");
    });
  }

  @Test
  void shouldDeadLetterANegativePriceNamingThePricesTopicAndKeepingTheSkuKey() {
    pipeline.send(pipeline.priceChange("SKU-1", T0, 1_000, -1));

    assertThat(pipeline.deadLetters()).singleElement().satisfies(letter -> {
      assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("SKU-1");
      assertThat(header(letter, "dead-letter.source-topic")).isEqualTo("prices");
      assertThat(header(letter, "dead-letter.error")).isEqualTo("field 'newPriceCents' must not be negative, got -1");
    });
  }

  @Test
  void shouldDeadLetterAContactDueBeforeItWasOpenedNamingTheContactsTopic() {
    ContactEvent opened = pipeline.contact(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.EMAIL, T0);
    opened.setResponseDueBy(T0.minus(Duration.ofHours(1)));
    pipeline.send(opened);

    assertThat(pipeline.deadLetters()).singleElement().satisfies(letter -> {
      assertThat(header(letter, "dead-letter.source-topic")).isEqualTo("contacts");
      assertThat(header(letter, "dead-letter.reason")).isEqualTo("invalid_value");
    });
  }

  @Test
  void shouldNotLetAnUndecodableRecordMoveEventTime() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, T0.plus(DAY.multipliedBy(3)), 5_000));
    pipeline.sendRawOrder(KEY, new byte[] {0x7b, 0x7d});
    pipeline.send(pipeline.order(OrderEventType.DELIVERED, "C-1", "O-1", T0.plus(DAY.multipliedBy(3)).minus(Duration.ofHours(2))));

    assertThat(pipeline.deadLetters()).hasSize(1);
    assertThat(pipeline.signals("C-1")).isEmpty();
  }
}

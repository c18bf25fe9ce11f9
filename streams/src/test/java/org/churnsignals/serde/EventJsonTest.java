package org.churnsignals.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.churnsignals.schema.ContactChannel;
import org.churnsignals.schema.ContactEvent;
import org.churnsignals.schema.CustomerRisk;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.OrderEventType;
import org.churnsignals.schema.OrderLine;
import org.churnsignals.schema.PriceEvent;
import org.churnsignals.schema.ReturnEvent;
import org.churnsignals.schema.ReturnEventType;
import org.churnsignals.schema.ReturnReason;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventJsonTest {

  @Test
  void readsAPlacedOrderWithItsLines() {
    OrderEvent order = EventJson.read("""
        {"eventId": "E-1", "occurredAt": "2026-03-01T10:15:00Z", "customerId": "C-1", "orderId": "O-17",
         "type": "PLACED", "promisedBy": "2026-03-04T18:00:00Z", "totalCents": 4998, "quotedCents": 4500,
         "lines": [{"sku": "SKU-42", "unitPriceCents": 2499, "quantity": 2}]}""", OrderEvent.class);

    assertThat(order).isEqualTo(SampleRecords.orderPlaced());
    assertThat(order.getLines()).containsExactly(new OrderLine("SKU-42", 2499L, 2));
  }

  @Test
  void readsADeliveredOrderLeavingItsAbsentOptionalFieldsEmpty() {
    OrderEvent order = EventJson.read("""
        {"eventId": "E-2", "occurredAt": "2026-03-08T09:00:00.250Z", "customerId": "C-1", "orderId": "O-17",
         "type": "DELIVERED"}""", OrderEvent.class);

    assertThat(order).isEqualTo(SampleRecords.orderDelivered());
    assertThat(order.getPromisedBy()).isNull();
    assertThat(order.getTotalCents()).isNull();
    assertThat(order.getLines()).isEmpty();
  }

  @Test
  void readsAContactWithItsChannelAndResponsePromise() {
    ContactEvent contact = EventJson.read("""
        {"eventId": "E-3", "occurredAt": "2026-03-01T10:15:00Z", "customerId": "C-1", "contactId": "K-5",
         "channel": "PHONE", "type": "OPENED", "responseDueBy": "2026-03-01T14:15:00Z"}""", ContactEvent.class);

    assertThat(contact).isEqualTo(SampleRecords.contactOpened());
    assertThat(contact.getChannel()).isEqualTo(ContactChannel.PHONE);
  }

  @Test
  void readsAReturnRequestWithItsReason() {
    ReturnEvent request = EventJson.read("""
        {"eventId": "E-4", "occurredAt": "2026-03-01T10:15:00Z", "customerId": "C-1", "returnId": "R-3",
         "orderId": "O-17", "type": "REQUESTED", "reason": "DEFECTIVE"}""", ReturnEvent.class);

    assertThat(request).isEqualTo(SampleRecords.returnRequested());
    assertThat(request.getReason()).isEqualTo(ReturnReason.DEFECTIVE);
  }

  @Test
  void readsARefundWithItsAmountAndFee() {
    ReturnEvent refund = EventJson.read("""
        {"eventId": "E-5", "occurredAt": "2026-03-01T10:15:00Z", "customerId": "C-1", "returnId": "R-3",
         "orderId": "O-17", "type": "REFUNDED", "refundCents": 2499, "feeCents": 500}""", ReturnEvent.class);

    assertThat(refund).isEqualTo(SampleRecords.returnRefunded());
    assertThat(refund.getType()).isEqualTo(ReturnEventType.REFUNDED);
  }

  @Test
  void readsAPriceChange() {
    PriceEvent price = EventJson.read("""
        {"eventId": "P-1", "occurredAt": "2026-03-01T10:15:00Z", "sku": "SKU-42",
         "oldPriceCents": 2500, "newPriceCents": 1999}""", PriceEvent.class);

    assertThat(price).isEqualTo(SampleRecords.priceDrop());
  }

  @Test
  void readsTheEventObjectOfAReplayLine() throws Exception {
    JsonNode line = EventJson.mapper().readTree("""
        {"stream": "prices", "event": {"eventId": "P-1", "occurredAt": "2026-03-01T10:15:00Z", "sku": "SKU-42",
         "oldPriceCents": 2500, "newPriceCents": 1999}}""");

    assertThat(EventJson.read(line.get("event"), PriceEvent.class)).isEqualTo(SampleRecords.priceDrop());
  }

  @Test
  void ignoresFieldsTheSchemaDoesNotKnow() {
    PriceEvent price = EventJson.read("""
        {"eventId": "P-1", "occurredAt": "2026-03-01T10:15:00Z", "sku": "SKU-42", "currency": "EUR",
         "oldPriceCents": 2500, "newPriceCents": 1999, "note": {"source": "pricing-bot"}}""", PriceEvent.class);

    assertThat(price).isEqualTo(SampleRecords.priceDrop());
  }

  @Test
  void treatsAnExplicitNullLikeAnAbsentOptionalField() {
    ContactEvent contact = EventJson.read("""
        {"eventId": "E-3", "occurredAt": "2026-03-01T10:15:00Z", "customerId": "C-1", "contactId": "K-5",
         "channel": "EMAIL", "type": "OPENED", "responseDueBy": null}""", ContactEvent.class);

    assertThat(contact.getResponseDueBy()).isNull();
  }

  @Test
  void acceptsAnyIso8601InstantAndKeepsItInUtc() {
    PriceEvent price = EventJson.read("""
        {"eventId": "P-1", "occurredAt": "2026-03-01T11:15:00.000+01:00", "sku": "SKU-42",
         "oldPriceCents": 2500, "newPriceCents": 1999}""", PriceEvent.class);

    assertThat(price.getOccurredAt()).isEqualTo(Instant.parse("2026-03-01T10:15:00Z"));
  }

  @Test
  void rejectsAnEventWithoutARequiredFieldNamingIt() {
    assertThatThrownBy(() -> EventJson.read("""
        {"eventId": "E-2", "occurredAt": "2026-03-08T09:00:00Z", "customerId": "C-1", "type": "DELIVERED"}""",
        OrderEvent.class))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> {
          assertThat(e.reason()).isEqualTo(InvalidEventException.MISSING_FIELD);
          assertThat(e.field()).isEqualTo("orderId");
        })
        .hasMessage("missing required field 'orderId'");
  }

  @Test
  void rejectsANullRequiredFieldAsMissing() {
    assertThatThrownBy(() -> EventJson.read("""
        {"eventId": "P-1", "occurredAt": "2026-03-01T10:15:00Z", "sku": null,
         "oldPriceCents": 2500, "newPriceCents": 1999}""", PriceEvent.class))
        .isInstanceOfSatisfying(InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidEventException.MISSING_FIELD))
        .hasMessage("missing required field 'sku'");
  }

  @Test
  void namesTheFieldOfANestedRecordByItsPath() {
    assertThatThrownBy(() -> EventJson.read("""
        {"eventId": "E-1", "occurredAt": "2026-03-01T10:15:00Z", "customerId": "C-1", "orderId": "O-17",
         "type": "PLACED", "lines": [{"sku": "SKU-42", "unitPriceCents": 2499, "quantity": 2},
                                     {"sku": "SKU-7", "quantity": 1}]}""", OrderEvent.class))
        .isInstanceOfSatisfying(InvalidEventException.class,
            e -> assertThat(e.field()).isEqualTo("lines[1].unitPriceCents"))
        .hasMessage("missing required field 'lines[1].unitPriceCents'");
  }

  @Test
  void rejectsAnUnknownEnumValueListingTheKnownOnes() {
    assertThatThrownBy(() -> EventJson.read("""
        {"eventId": "E-3", "occurredAt": "2026-03-01T10:15:00Z", "customerId": "C-1", "contactId": "K-5",
         "channel": "TELEGRAM", "type": "OPENED"}""", ContactEvent.class))
        .isInstanceOfSatisfying(InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidEventException.UNKNOWN_ENUM))
        .hasMessage("unknown value 'TELEGRAM' for channel (expected PHONE, EMAIL, CHAT, SOCIAL)");
  }

  @Test
  void rejectsAMalformedTimestampShowingTheExpectedForm() {
    assertThatThrownBy(() -> EventJson.read("""
        {"eventId": "P-1", "occurredAt": "2026-03-01 10:15", "sku": "SKU-42",
         "oldPriceCents": 2500, "newPriceCents": 1999}""", PriceEvent.class))
        .isInstanceOfSatisfying(InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidEventException.INVALID_VALUE))
        .hasMessage("field 'occurredAt' must be an ISO-8601 instant such as \"2026-03-01T10:15:00Z\", "
            + "got \"2026-03-01 10:15\"");
  }

  @Test
  void rejectsATimestampWithoutAZone() {
    assertThatThrownBy(() -> EventJson.read("""
        {"eventId": "P-1", "occurredAt": "2026-03-01T10:15:00", "sku": "SKU-42",
         "oldPriceCents": 2500, "newPriceCents": 1999}""", PriceEvent.class))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("occurredAt"));
  }

  @Test
  void rejectsEpochMillisWhereAnInstantIsExpected() {
    assertThatThrownBy(() -> EventJson.read("""
        {"eventId": "P-1", "occurredAt": 1772360100000, "sku": "SKU-42",
         "oldPriceCents": 2500, "newPriceCents": 1999}""", PriceEvent.class))
        .hasMessageContaining("field 'occurredAt' must be an ISO-8601 instant");
  }

  @Test
  void rejectsFractionalCents() {
    assertThatThrownBy(() -> EventJson.read("""
        {"eventId": "P-1", "occurredAt": "2026-03-01T10:15:00Z", "sku": "SKU-42",
         "oldPriceCents": 25.00, "newPriceCents": 1999}""", PriceEvent.class))
        .isInstanceOfSatisfying(InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidEventException.INVALID_VALUE))
        .hasMessage("field 'oldPriceCents' must be a whole number, got 25.0");
  }

  @Test
  void rejectsANumberWhereTextIsExpected() {
    assertThatThrownBy(() -> EventJson.read("""
        {"eventId": 17, "occurredAt": "2026-03-01T10:15:00Z", "sku": "SKU-42",
         "oldPriceCents": 2500, "newPriceCents": 1999}""", PriceEvent.class))
        .hasMessage("field 'eventId' must be a string, got 17");
  }

  @Test
  void rejectsTextThatIsNotJson() {
    assertThatThrownBy(() -> EventJson.read("{\"eventId\": \"P-1\", ", PriceEvent.class))
        .isInstanceOfSatisfying(InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidEventException.INVALID_JSON))
        .hasMessageStartingWith("not valid JSON: ");
  }

  @Test
  void rejectsALineWithTextAfterTheJson() {
    assertThatThrownBy(() -> EventJson.read("""
        {"eventId": "P-1", "occurredAt": "2026-03-01T10:15:00Z", "sku": "SKU-42",
         "oldPriceCents": 2500, "newPriceCents": 1999} trailing""", PriceEvent.class))
        .isInstanceOfSatisfying(InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidEventException.INVALID_JSON));
  }

  @Test
  void rejectsJsonThatIsNotAnObject() {
    assertThatThrownBy(() -> EventJson.read("[1, 2]", PriceEvent.class))
        .isInstanceOfSatisfying(InvalidEventException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidEventException.INVALID_VALUE))
        .hasMessage("expected a JSON object for PriceEvent, got [1,2]");
  }

  static Stream<Named<SpecificRecord>> everyType() {
    return SampleRecords.everyType().stream().map(SampleRecords::named);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyType")
  void readsBackExactlyWhatItWrote(SpecificRecord record) {
    String line = EventJson.writeLine(record);

    assertThat(EventJson.read(line, record.getClass())).isEqualTo(record);
  }

  @Test
  void writesCompactJsonInSchemaOrderWithIsoTimestamps() {
    assertThat(EventJson.writeLine(SampleRecords.priceDrop())).isEqualTo(
        "{\"eventId\":\"P-1\",\"occurredAt\":\"2026-03-01T10:15:00Z\",\"sku\":\"SKU-42\","
            + "\"oldPriceCents\":2500,\"newPriceCents\":1999}");
  }

  @Test
  void writesMillisecondsOnlyWhenTheInstantHasThem() {
    assertThat(EventJson.write(SampleRecords.orderDelivered()).get("occurredAt").textValue())
        .isEqualTo("2026-03-08T09:00:00.250Z");
  }

  @Test
  void leavesOutOptionalFieldsThatAreNull() {
    assertThat(EventJson.writeLine(SampleRecords.orderDelivered())).isEqualTo(
        "{\"eventId\":\"E-2\",\"occurredAt\":\"2026-03-08T09:00:00.250Z\",\"customerId\":\"C-1\","
            + "\"orderId\":\"O-17\",\"type\":\"DELIVERED\",\"lines\":[]}");
  }

  @Test
  void writesAnAlertWithItsReasonsAsNestedObjects() {
    JsonNode alert = EventJson.write(SampleRecords.alert());

    assertThat(alert.get("level").textValue()).isEqualTo("HIGH");
    assertThat(alert.get("raisedAt").textValue()).isEqualTo("2026-03-01T10:15:00Z");
    assertThat(alert.get("reasons").get(0).toString()).isEqualTo(
        "{\"signal\":\"BROKEN_PROMISE\",\"points\":40,"
            + "\"description\":\"Order O-17 arrived 4 days after the promised date, with no notice\","
            + "\"evidenceEventIds\":[\"E-1\",\"E-2\"]}");
    assertThat(alert.get("recommendedActions")).hasSize(2);
  }

  @Test
  void writesRiskContributionsInSignalNameOrder() {
    CustomerRisk risk = SampleRecords.risk();

    assertThat(EventJson.write(risk).get("contributions").toString())
        .isEqualTo("{\"BROKEN_PROMISE\":40,\"SERVICE_RECOVERY\":-8,\"SLOW_RESPONSE\":12}");
  }

  @Test
  void writesAnEventInTheReplayInputForm() {
    OrderEvent order = OrderEvent.newBuilder(SampleRecords.orderPlaced()).setType(OrderEventType.DELAY_NOTIFIED)
        .setLines(List.of()).setTotalCents(null).setQuotedCents(null).build();

    assertThat(EventJson.writeLine(order)).isEqualTo(
        "{\"eventId\":\"E-1\",\"occurredAt\":\"2026-03-01T10:15:00Z\",\"customerId\":\"C-1\",\"orderId\":\"O-17\","
            + "\"type\":\"DELAY_NOTIFIED\",\"promisedBy\":\"2026-03-04T18:00:00Z\",\"lines\":[]}");
  }
}

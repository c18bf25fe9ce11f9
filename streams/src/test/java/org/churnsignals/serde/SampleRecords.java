package org.churnsignals.serde;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.churnsignals.schema.AlertReason;
import org.churnsignals.schema.ChurnAlert;
import org.churnsignals.schema.ContactChannel;
import org.churnsignals.schema.ContactEvent;
import org.churnsignals.schema.ContactEventType;
import org.churnsignals.schema.CustomerRisk;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.OrderEventType;
import org.churnsignals.schema.OrderLine;
import org.churnsignals.schema.PriceEvent;
import org.churnsignals.schema.ReturnEvent;
import org.churnsignals.schema.ReturnEventType;
import org.churnsignals.schema.ReturnReason;
import org.churnsignals.schema.RiskLevel;
import org.churnsignals.schema.Signal;
import org.junit.jupiter.api.Named;

/** One filled-in record of every type the serdes carry. */
final class SampleRecords {

  static final Instant MARCH_1 = Instant.parse("2026-03-01T10:15:00Z");

  private SampleRecords() {
  }

  static OrderEvent orderPlaced() {
    return OrderEvent.newBuilder()
        .setEventId("E-1").setOccurredAt(MARCH_1).setCustomerId("C-1").setOrderId("O-17")
        .setType(OrderEventType.PLACED).setPromisedBy(Instant.parse("2026-03-04T18:00:00Z"))
        .setTotalCents(4998L).setQuotedCents(4500L)
        .setLines(List.of(new OrderLine("SKU-42", 2499L, 2)))
        .build();
  }

  static OrderEvent orderDelivered() {
    return OrderEvent.newBuilder()
        .setEventId("E-2").setOccurredAt(Instant.parse("2026-03-08T09:00:00.250Z")).setCustomerId("C-1")
        .setOrderId("O-17").setType(OrderEventType.DELIVERED)
        .build();
  }

  static ContactEvent contactOpened() {
    return ContactEvent.newBuilder()
        .setEventId("E-3").setOccurredAt(MARCH_1).setCustomerId("C-1").setContactId("K-5")
        .setChannel(ContactChannel.PHONE).setType(ContactEventType.OPENED)
        .setResponseDueBy(Instant.parse("2026-03-01T14:15:00Z"))
        .build();
  }

  static ReturnEvent returnRequested() {
    return ReturnEvent.newBuilder()
        .setEventId("E-4").setOccurredAt(MARCH_1).setCustomerId("C-1").setReturnId("R-3").setOrderId("O-17")
        .setType(ReturnEventType.REQUESTED).setReason(ReturnReason.DEFECTIVE)
        .build();
  }

  static ReturnEvent returnRefunded() {
    return ReturnEvent.newBuilder()
        .setEventId("E-5").setOccurredAt(MARCH_1).setCustomerId("C-1").setReturnId("R-3").setOrderId("O-17")
        .setType(ReturnEventType.REFUNDED).setRefundCents(2499L).setFeeCents(500L)
        .build();
  }

  static PriceEvent priceDrop() {
    return new PriceEvent("P-1", MARCH_1, "SKU-42", 2500L, 1999L);
  }

  static Signal signal() {
    return new Signal("C-1", "BROKEN_PROMISE", 25, MARCH_1,
        "Order O-17 arrived 4 days after the promised date, with no notice", List.of("E-1", "E-2"));
  }

  static ChurnAlert alert() {
    return ChurnAlert.newBuilder()
        .setAlertId("A-C-1-1").setCustomerId("C-1").setLevel(RiskLevel.HIGH).setScore(72).setRaisedAt(MARCH_1)
        .setReasons(List.of(
            new AlertReason("BROKEN_PROMISE", 40, "Order O-17 arrived 4 days after the promised date, with no notice",
                List.of("E-1", "E-2")),
            new AlertReason("DIFFICULT_RETURN", 20, "Return R-3 was charged a fee of 5.00", List.of("E-5"))))
        .setRecommendedActions(List.of("Call the customer back today", "Waive the return fee"))
        .setValueAtRiskCents(18_250L)
        .build();
  }

  static CustomerRisk risk() {
    Map<String, Integer> contributions = new LinkedHashMap<>();
    contributions.put("SLOW_RESPONSE", 12);
    contributions.put("BROKEN_PROMISE", 40);
    contributions.put("SERVICE_RECOVERY", -8);
    return new CustomerRisk("C-1", 44, RiskLevel.ELEVATED, contributions, 18_250L, MARCH_1);
  }

  /** The record, shown in test names by its type and first field, e.g. "OrderEvent E-1". */
  static Named<SpecificRecord> named(SpecificRecord record) {
    return Named.of(record.getSchema().getName() + " " + record.get(0), record);
  }

  static List<SpecificRecord> everyType() {
    return List.of(orderPlaced(), orderDelivered(), contactOpened(), returnRequested(), returnRefunded(),
        priceDrop(), signal(), alert(), risk());
  }
}

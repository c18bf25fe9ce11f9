package org.churnsignals.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.churnsignals.schema.ContactChannel;
import org.churnsignals.schema.ContactEvent;
import org.churnsignals.schema.ContactEventType;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.OrderEventType;
import org.churnsignals.schema.OrderLine;
import org.churnsignals.schema.PriceEvent;
import org.churnsignals.schema.ReturnEvent;
import org.churnsignals.schema.ReturnEventType;
import org.churnsignals.schema.ReturnReason;
import org.churnsignals.serde.EventJson;
import org.churnsignals.sources.EventFields;

/**
 * A hand-written history of customer events, each built and recorded in one call, for the live pipeline
 * and replay alike. Its days are recent, so the live pipeline does not reject them as dated in the future,
 * and start on a Monday at 10:00 UTC, so business hours fall the same way whatever day the test runs.
 */
final class EventHistory {

  static final Duration DAY = Duration.ofDays(1);

  private final Instant start;
  private final String eventIdPrefix;
  private final List<SpecificRecord> events = new ArrayList<>();
  private int nextEvent = 1;

  /** A history starting on the Monday at least {@code daysAgo} days before today. */
  EventHistory(int daysAgo, String eventIdPrefix) {
    LocalDate monday = LocalDate.now(ZoneOffset.UTC).minusDays(daysAgo).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    this.start = monday.atTime(10, 0).toInstant(ZoneOffset.UTC);
    this.eventIdPrefix = eventIdPrefix;
  }

  /** The history's first Monday plus {@code days} days. */
  Instant day(double days) {
    return start.plus(Duration.ofMinutes(Math.round(days * 24 * 60)));
  }

  List<SpecificRecord> events() {
    return List.copyOf(events);
  }

  /** Oldest first; events of the same instant in the order they were recorded. */
  List<SpecificRecord> inTimeOrder() {
    List<SpecificRecord> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparing(EventFields::occurredAt));
    return sorted;
  }

  /** The replay format: one {"stream": ..., "event": {...}} a line, in the order recorded. */
  void writeJsonLines(Path file) throws IOException {
    ObjectMapper json = EventJson.mapper();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (SpecificRecord event : events) {
        ObjectNode line = json.createObjectNode();
        line.put("stream", streamOf(event));
        line.set("event", EventJson.write(event));
        out.write(json.writeValueAsString(line));
        out.newLine();
      }
    }
  }

  static String streamOf(SpecificRecord event) {
    if (event instanceof OrderEvent) {
      return "orders";
    } else if (event instanceof ContactEvent) {
      return "contacts";
    } else if (event instanceof ReturnEvent) {
      return "returns";
    } else if (event instanceof PriceEvent) {
      return "prices";
    }
    throw new IllegalArgumentException("not an input event: " + event.getClass().getName());
  }

  /** The record key the contract gives each topic: the customer, or the product for prices. */
  static String keyOf(SpecificRecord event) {
    if (event instanceof PriceEvent price) {
      return price.getSku();
    }
    return String.valueOf(event.get(event.getSchema().getField("customerId").pos()));
  }

  // --- orders --------------------------------------------------------------------------------------

  OrderEvent placed(String customer, String order, Instant at, Instant promisedBy, long totalCents) {
    return placed(customer, order, at, promisedBy, totalCents, "SKU-" + order);
  }

  OrderEvent placed(String customer, String order, Instant at, Instant promisedBy, long totalCents, String sku) {
    return record(orderEvent(OrderEventType.PLACED, customer, order, at)
        .setPromisedBy(promisedBy)
        .setTotalCents(totalCents)
        .setLines(List.of(new OrderLine(sku, totalCents, 1)))
        .build());
  }

  OrderEvent delivered(String customer, String order, Instant at) {
    return record(orderEvent(OrderEventType.DELIVERED, customer, order, at).build());
  }

  private OrderEvent.Builder orderEvent(OrderEventType type, String customer, String order, Instant at) {
    return OrderEvent.newBuilder().setEventId(eventId()).setOccurredAt(at).setCustomerId(customer).setOrderId(order)
        .setType(type);
  }

  // --- contacts ------------------------------------------------------------------------------------

  ContactEvent contact(ContactEventType type, String customer, String contact, ContactChannel channel, Instant at) {
    return record(ContactEvent.newBuilder().setEventId(eventId()).setOccurredAt(at).setCustomerId(customer)
        .setContactId(contact).setChannel(channel).setType(type).build());
  }

  ContactEvent callRangOut(String customer, String contact, Instant at) {
    return contact(ContactEventType.ABANDONED, customer, contact, ContactChannel.PHONE, at);
  }

  // --- returns -------------------------------------------------------------------------------------

  ReturnEvent returnRequested(String customer, String returnId, String order, Instant at, ReturnReason reason) {
    return record(returnEvent(ReturnEventType.REQUESTED, customer, returnId, order, at).setReason(reason).build());
  }

  ReturnEvent returnRejected(String customer, String returnId, String order, Instant at) {
    return record(returnEvent(ReturnEventType.REJECTED, customer, returnId, order, at).build());
  }

  private ReturnEvent.Builder returnEvent(ReturnEventType type, String customer, String returnId, String order, Instant at) {
    return ReturnEvent.newBuilder().setEventId(eventId()).setOccurredAt(at).setCustomerId(customer)
        .setReturnId(returnId).setOrderId(order).setType(type);
  }

  // --- prices --------------------------------------------------------------------------------------

  PriceEvent priceChanged(String sku, Instant at, long oldCents, long newCents) {
    return record(PriceEvent.newBuilder().setEventId(eventId()).setOccurredAt(at).setSku(sku)
        .setOldPriceCents(oldCents).setNewPriceCents(newCents).build());
  }

  private String eventId() {
    return eventIdPrefix + "-" + nextEvent++;
  }

  private <T extends SpecificRecord> T record(T event) {
    events.add(event);
    return event;
  }
}

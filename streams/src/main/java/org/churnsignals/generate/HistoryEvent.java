package org.churnsignals.generate;

import java.time.Instant;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * One generated event, ready to be written to a topic or to a replay file.
 *
 * @param stream {@code orders}, {@code contacts}, {@code returns} or {@code prices}
 * @param key the record key: the customerId, or the sku for prices
 * @param event an OrderEvent, ContactEvent, ReturnEvent or PriceEvent
 * @param occurredAt the event's own {@code occurredAt}, repeated here so callers need not open the record
 */
public record HistoryEvent(String stream, String key, SpecificRecord event, Instant occurredAt) {

  public static final String ORDERS = "orders";
  public static final String CONTACTS = "contacts";
  public static final String RETURNS = "returns";
  public static final String PRICES = "prices";

  public HistoryEvent {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(occurredAt, "occurredAt");
  }
}

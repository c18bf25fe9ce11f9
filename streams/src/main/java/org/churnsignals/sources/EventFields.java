package org.churnsignals.sources;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/** The fields every event has (contract: eventId and occurredAt), read from any generated event class. */
public final class EventFields {

  private record Positions(int eventId, int occurredAt) {}

  private static final Map<Schema, Positions> POSITIONS = new ConcurrentHashMap<>();

  private EventFields() {}

  public static String eventId(SpecificRecord event) {
    Object value = event.get(positions(event).eventId());
    return value == null ? null : value.toString();
  }

  public static Instant occurredAt(SpecificRecord event) {
    return (Instant) event.get(positions(event).occurredAt());
  }

  private static Positions positions(SpecificRecord event) {
    return POSITIONS.computeIfAbsent(event.getSchema(), schema -> {
      Schema.Field eventId = schema.getField("eventId");
      Schema.Field occurredAt = schema.getField("occurredAt");
      if (eventId == null || occurredAt == null) {
        throw new IllegalArgumentException(schema.getFullName() + " lacks eventId or occurredAt");
      }
      return new Positions(eventId.pos(), occurredAt.pos());
    });
  }
}

package org.churnsignals.sources;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.churnsignals.schema.Signal;

/** Builds signal records; evidence lists skip the ids a detector did not have. */
public final class Signals {

  private Signals() {}

  public static Signal of(String customerId, String name, int points, Instant at, String description, String... evidence) {
    List<String> ids = new ArrayList<>();
    for (String id : evidence) {
      if (id != null && !ids.contains(id)) {
        ids.add(id);
      }
    }
    return Signal.newBuilder()
        .setCustomerId(Objects.requireNonNull(customerId))
        .setSignal(name)
        .setPoints(points)
        .setOccurredAt(at)
        .setDescription(description)
        .setEvidenceEventIds(ids)
        .build();
  }
}

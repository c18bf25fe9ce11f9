package org.churnsignals.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.churnsignals.generate.HistoryEvent;
import org.churnsignals.generate.TrafficGenerator;
import org.churnsignals.serde.EventJson;

/** Writes a synthetic history in the replay format: one {"stream": ..., "event": {...}} a line. */
public final class HistoryFile {

  private HistoryFile() {}

  /** Customers stay healthy for the first third of the history; the degrading ones then go wrong. */
  public static int generate(long seed, int customers, int days, Instant start, Path out) throws IOException {
    TrafficGenerator generator = new TrafficGenerator(seed, customers, start,
        TrafficGenerator.Settings.DEFAULT.withHealthyFor(Duration.ofDays(Math.max(1, days / 3))));
    ObjectMapper json = EventJson.mapper();
    int written = 0;
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        var events = generator.until(start.plus(Duration.ofDays(days)))) {
      for (HistoryEvent event : (Iterable<HistoryEvent>) events::iterator) {
        ObjectNode line = json.createObjectNode();
        line.put("stream", event.stream());
        line.set("event", EventJson.write(event.event()));
        writer.write(json.writeValueAsString(line));
        writer.newLine();
        written++;
      }
    }
    return written;
  }
}

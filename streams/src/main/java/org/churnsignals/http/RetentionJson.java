package org.churnsignals.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The JSON of the retention API: instants as ISO-8601 strings ({@code "2026-03-01T10:15:00Z"}), enums by
 * name, records by their component names. jackson-datatype-jsr310 is not on the application's classpath, so
 * the two directions of {@link Instant} are written here.
 */
public final class RetentionJson {

  private RetentionJson() {}

  public static ObjectMapper mapper() {
    SimpleModule instants = new SimpleModule("iso-instants");
    instants.addSerializer(Instant.class, ToStringSerializer.instance);
    instants.addDeserializer(Instant.class, new IsoInstantDeserializer());
    return new ObjectMapper()
        .registerModule(instants)
        // A newer peer may add fields during a rolling upgrade; an older one must still read its answers.
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  private static final class IsoInstantDeserializer extends StdScalarDeserializer<Instant> {
    IsoInstantDeserializer() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      String text = parser.getValueAsString();
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException | NullPointerException e) {
        return (Instant) context.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
      }
    }
  }
}

package org.churnsignals.sources;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.avro.Conversion;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The events of the surveys stream, written by hand where the build would generate a class from a schema
 * in {@code schemas/}: the schema is {@code SurveyResponse.avsc} beside this class in the test resources.
 * {@code SCHEMA$} and {@code MODEL$} are the names Avro looks up, as in a generated class.
 */
public final class SurveyResponse extends SpecificRecordBase {

  public static final Schema SCHEMA$ = parseSchema();
  public static final SpecificData MODEL$ = new SpecificData(SurveyResponse.class.getClassLoader());
  private static final TimeConversions.TimestampMillisConversion TIMESTAMP = new TimeConversions.TimestampMillisConversion();

  static {
    MODEL$.addLogicalTypeConversion(TIMESTAMP);
  }

  private String eventId;
  private Instant occurredAt;
  private String customerId;
  private String surveyId;
  private int score;
  private String comment;

  /** For Avro's readers. */
  public SurveyResponse() {}

  public SurveyResponse(String eventId, Instant occurredAt, String customerId, String surveyId, int score, String comment) {
    this.eventId = eventId;
    this.occurredAt = occurredAt;
    this.customerId = customerId;
    this.surveyId = surveyId;
    this.score = score;
    this.comment = comment;
  }

  public String getEventId() {
    return eventId;
  }

  public Instant getOccurredAt() {
    return occurredAt;
  }

  public String getCustomerId() {
    return customerId;
  }

  public String getSurveyId() {
    return surveyId;
  }

  public int getScore() {
    return score;
  }

  public String getComment() {
    return comment;
  }

  @Override
  public Schema getSchema() {
    return SCHEMA$;
  }

  @Override
  public SpecificData getSpecificData() {
    return MODEL$;
  }

  @Override
  public Conversion<?> getConversion(int field) {
    return field == 1 ? TIMESTAMP : null;
  }

  @Override
  public Object get(int field) {
    return switch (field) {
      case 0 -> eventId;
      case 1 -> occurredAt;
      case 2 -> customerId;
      case 3 -> surveyId;
      case 4 -> score;
      case 5 -> comment;
      default -> throw new IndexOutOfBoundsException("SurveyResponse has no field " + field);
    };
  }

  @Override
  public void put(int field, Object value) {
    switch (field) {
      case 0 -> eventId = text(value);
      case 1 -> occurredAt = (Instant) value;
      case 2 -> customerId = text(value);
      case 3 -> surveyId = text(value);
      case 4 -> score = (Integer) value;
      case 5 -> comment = text(value);
      default -> throw new IndexOutOfBoundsException("SurveyResponse has no field " + field);
    }
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static Schema parseSchema() {
    try (InputStream in = SurveyResponse.class.getResourceAsStream("SurveyResponse.avsc")) {
      if (in == null) {
        throw new IllegalStateException("SurveyResponse.avsc is missing from the test resources");
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

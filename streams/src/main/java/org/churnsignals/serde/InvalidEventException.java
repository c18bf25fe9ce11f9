package org.churnsignals.serde;

/**
 * An event in JSON does not fit its schema. {@link #reason()} is a short category for dead letters and
 * metrics; the message names the field and what is wrong with it.
 */
public class InvalidEventException extends RuntimeException {

  /** The text is not JSON at all. */
  public static final String INVALID_JSON = "invalid_json";
  /** A field the schema requires is absent or null. */
  public static final String MISSING_FIELD = "missing_field";
  /** A field holds a value of the wrong kind: text for a number, a malformed timestamp, a fraction for cents. */
  public static final String INVALID_VALUE = "invalid_value";
  /** An enum field holds a name the schema does not list. */
  public static final String UNKNOWN_ENUM = "unknown_enum";

  private final String reason;
  private final String field;

  public InvalidEventException(String reason, String field, String message) {
    super(message);
    this.reason = reason;
    this.field = field;
  }

  public String reason() {
    return reason;
  }

  /** The offending field's path, e.g. {@code lines[0].sku}; empty when the whole event is at fault. */
  public String field() {
    return field;
  }
}

package org.churnsignals.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's bytes could not be turned into a value. {@link #reason()} is a short category for dead-letter
 * headers and metric labels; the message says what was wrong in words.
 */
public class RecordDecodingException extends SerializationException {

  /** The record does not start with the Confluent wire format's magic byte 0. */
  public static final String NO_MAGIC_BYTE = "no_magic_byte";
  /** The record ends before its header or its Avro data does. */
  public static final String TRUNCATED = "truncated";
  /** The record names a schema id the registry does not know. */
  public static final String UNKNOWN_SCHEMA_ID = "unknown_schema_id";
  /** The bytes are not valid Avro for the writer's schema, or that schema cannot be read as the expected type. */
  public static final String UNDECODABLE = "undecodable";

  private final String reason;

  public RecordDecodingException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public RecordDecodingException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}

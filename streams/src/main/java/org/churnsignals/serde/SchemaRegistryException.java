package org.churnsignals.serde;

/**
 * The schema registry could not be reached or refused a request. Deliberately not a Kafka
 * {@code SerializationException}: the record is not at fault, so it must not be dead-lettered.
 */
public class SchemaRegistryException extends RuntimeException {

  public SchemaRegistryException(String message) {
    super(message);
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}

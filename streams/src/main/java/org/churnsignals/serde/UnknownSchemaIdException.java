package org.churnsignals.serde;

/** No schema in the registry has the requested id. */
public class UnknownSchemaIdException extends SchemaRegistryException {

  private final int id;

  public UnknownSchemaIdException(int id, String message) {
    super(message);
    this.id = id;
  }

  public int id() {
    return id;
  }
}

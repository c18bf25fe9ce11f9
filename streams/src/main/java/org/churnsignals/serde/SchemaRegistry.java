package org.churnsignals.serde;

import org.apache.avro.Schema;

/**
 * The two calls of a Confluent-style schema registry that the Avro serdes need: give a schema an id when
 * writing, find the writer's schema by id when reading. Ids are global: the same schema gets the same id.
 */
public interface SchemaRegistry {

  /**
   * Registers {@code schema} under {@code subject} (e.g. {@code orders-value}) and returns its id;
   * registering the same schema again returns the same id.
   *
   * @throws SchemaRegistryException if the registry cannot be reached or refuses the schema
   */
  int register(String subject, Schema schema);

  /**
   * The schema registered with {@code id}.
   *
   * @throws UnknownSchemaIdException if no schema has that id
   * @throws SchemaRegistryException if the registry cannot be reached
   */
  Schema schemaById(int id);
}

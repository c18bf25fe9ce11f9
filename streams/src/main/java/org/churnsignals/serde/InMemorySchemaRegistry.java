package org.churnsignals.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A schema registry held in memory, behind {@code mock://SCOPE} URLs as in Confluent's serdes: one instance
 * per scope, shared by everything in the JVM that names the scope. Ids start at 1 and follow registration
 * order, so a run that registers the same schemas in the same order gets the same ids.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {

  private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

  private final String name;
  private final Map<Schema, Integer> idsBySchema = new HashMap<>();
  private final List<Schema> schemasById = new ArrayList<>();
  private final Map<String, List<Integer>> versionsBySubject = new LinkedHashMap<>();

  /** A registry of its own, shared with nobody. */
  public InMemorySchemaRegistry() {
    this("unshared in-memory schema registry");
  }

  private InMemorySchemaRegistry(String name) {
    this.name = name;
  }

  /** The registry of {@code scope}, created on first use. */
  public static InMemorySchemaRegistry forScope(String scope) {
    if (scope == null || scope.isBlank()) {
      throw new IllegalArgumentException("a mock:// schema registry needs a scope name, e.g. mock://demo");
    }
    return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry("schema registry mock://" + s));
  }

  /** Forgets {@code scope}: the next {@link #forScope} call starts an empty registry. */
  public static void dropScope(String scope) {
    SCOPES.remove(scope);
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    Integer id = idsBySchema.get(schema);
    if (id == null) {
      schemasById.add(schema);
      id = schemasById.size();
      idsBySchema.put(schema, id);
    }
    List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
  }

  @Override
  public synchronized Schema schemaById(int id) {
    if (id < 1 || id > schemasById.size()) {
      String holds = schemasById.isEmpty() ? "no schemas"
          : schemasById.size() == 1 ? "only id 1" : "ids 1 to " + schemasById.size();
      throw new UnknownSchemaIdException(id, "unknown schema id " + id + ": not in the " + name + " (it holds " + holds + ")");
    }
    return schemasById.get(id - 1);
  }

  /** The subjects registered so far, in order of their first registration. */
  public synchronized List<String> subjects() {
    return List.copyOf(versionsBySubject.keySet());
  }

  /** The ids registered under {@code subject}, oldest first; empty for an unknown subject. */
  public synchronized List<Integer> versions(String subject) {
    return List.copyOf(versionsBySubject.getOrDefault(subject, List.of()));
  }

  @Override
  public String toString() {
    return name;
  }
}

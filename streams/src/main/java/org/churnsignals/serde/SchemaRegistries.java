package org.churnsignals.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Turns the {@code schema.registry.url} setting into a {@link SchemaRegistry}. */
public final class SchemaRegistries {

  private static final Map<String, HttpSchemaRegistry> HTTP = new ConcurrentHashMap<>();

  private SchemaRegistries() {
  }

  /**
   * {@code http://HOST:PORT} or {@code https://...}: a client of that Confluent Schema Registry (one per URL, so its
   * cache is shared); {@code mock://SCOPE}: the in-process registry of that scope.
   *
   * @throws IllegalArgumentException with one line naming the problem, for any other URL
   */
  public static SchemaRegistry forUrl(String url) {
    String trimmed = url == null ? "" : url.strip();
    String lower = trimmed.toLowerCase();
    if (lower.startsWith("mock://")) {
      return InMemorySchemaRegistry.forScope(trimmed.substring("mock://".length()));
    }
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      if (trimmed.contains(",")) {
        throw new IllegalArgumentException("schema registry URL '" + redact(trimmed)
            + "' lists several registries; give one URL");
      }
      return HTTP.computeIfAbsent(trimmed, HttpSchemaRegistry::new);
    }
    throw new IllegalArgumentException(trimmed.isEmpty()
        ? "schema registry URL is empty (expected http://HOST:PORT, https://HOST:PORT or mock://SCOPE)"
        : "schema registry URL '" + redact(trimmed)
            + "' is not supported (expected http://HOST:PORT, https://HOST:PORT or mock://SCOPE)");
  }

  /** The URL with any password in its user-info masked, fit for a message or a log line. */
  static String redact(String url) {
    return url == null ? "" : url.replaceAll("(//[^/@:]*):[^/@]*@", "$1:***@");
  }
}

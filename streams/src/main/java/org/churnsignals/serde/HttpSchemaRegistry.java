package org.churnsignals.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client of the Confluent Schema Registry REST API: {@code POST /subjects/{subject}/versions} to register,
 * {@code GET /schemas/ids/{id}} to look up. Both directions are cached, so once a topic's schema is known
 * serializing and deserializing make no HTTP calls. Credentials in the URL's user-info
 * ({@code https://user:secret@registry:8081}) are sent as HTTP basic auth and never appear in messages.
 */
public final class HttpSchemaRegistry implements SchemaRegistry {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SCHEMA_NOT_FOUND = 40403;

  private final String baseUrl;
  private final Optional<String> authorization;
  private final HttpClient http;
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

  /**
   * @param url the registry's base URL, {@code http://HOST:PORT} or {@code https://HOST:PORT}, optionally with a
   *     path prefix and {@code user:password@}
   * @throws IllegalArgumentException if the URL is not an absolute http(s) URL with a host
   */
  public HttpSchemaRegistry(String url) {
    URI uri = parse(url);
    this.baseUrl = withoutUserInfo(uri);
    this.authorization = Optional.ofNullable(uri.getRawUserInfo()).map(HttpSchemaRegistry::basicAuth);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @Override
  public int register(String subject, Schema schema) {
    Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    Integer cached = ids.get(schema);
    if (cached != null) {
      return cached;
    }
    String url = baseUrl + "/subjects/" + pathSegment(subject) + "/versions";
    String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
    HttpRequest request = request(url).header("Content-Type", CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    JsonNode answer = send(request, url, "register a schema under subject '" + subject + "'");
    JsonNode id = answer.get("id");
    if (id == null || !id.canConvertToInt()) {
      throw new SchemaRegistryException("schema registry at " + url + " answered without a schema id: " + answer);
    }
    ids.put(schema, id.intValue());
    schemasById.putIfAbsent(id.intValue(), schema);
    return id.intValue();
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    String url = baseUrl + "/schemas/ids/" + id;
    JsonNode answer;
    try {
      answer = send(request(url).GET().build(), url, "look up schema id " + id);
    } catch (RegistryError e) {
      if (e.errorCode == SCHEMA_NOT_FOUND) {
        throw new UnknownSchemaIdException(id, "unknown schema id " + id + ": not in the schema registry at "
            + baseUrl + " (GET " + url + " answered: " + e.registryMessage + ")");
      }
      throw e;
    }
    String type = answer.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw new SchemaRegistryException("schema id " + id + " at " + url + " is a " + type + " schema, not Avro");
    }
    Schema schema;
    try {
      schema = new Schema.Parser().parse(answer.path("schema").asText());
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException("schema id " + id + " from " + url + " is not a valid Avro schema: "
          + e.getMessage(), e);
    }
    Schema previous = schemasById.putIfAbsent(id, schema);
    return previous != null ? previous : schema;
  }

  @Override
  public String toString() {
    return baseUrl;
  }

  private HttpRequest.Builder request(String url) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Accept", ACCEPT);
    authorization.ifPresent(value -> builder.header("Authorization", value));
    return builder;
  }

  private JsonNode send(HttpRequest request, String url, String purpose) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new SchemaRegistryException("could not " + purpose + ": " + request.method() + " " + url + " failed: "
          + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted while trying to " + purpose + " at " + url, e);
    }
    JsonNode body = readJson(response.body());
    if (response.statusCode() / 100 != 2) {
      int errorCode = body != null && body.path("error_code").canConvertToInt() ? body.get("error_code").intValue() : -1;
      throw new RegistryError(response.statusCode(), errorCode, registryMessage(response, body), purpose,
          request.method(), url);
    }
    if (body == null) {
      throw new SchemaRegistryException("could not " + purpose + ": " + request.method() + " " + url
          + " answered HTTP " + response.statusCode() + " with a body that is not JSON");
    }
    return body;
  }

  private static JsonNode readJson(String body) {
    try {
      return body == null || body.isBlank() ? null : JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  /** The registry's own words, from {@code {"error_code": 40403, "message": "Schema 7 not found"}}. */
  private static String registryMessage(HttpResponse<String> response, JsonNode body) {
    if (body != null && body.hasNonNull("message")) {
      String code = body.hasNonNull("error_code") ? " (error code " + body.get("error_code").asText() + ")" : "";
      return body.get("message").asText() + code;
    }
    String text = response.body() == null ? "" : response.body().strip();
    return text.isEmpty() ? "no message" : text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  private static URI parse(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalArgumentException("schema registry URL '" + SchemaRegistries.redact(url)
          + "' is not a valid URL (expected http://HOST:PORT)");
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("schema registry URL '" + SchemaRegistries.redact(url)
          + "' is not an http(s)://HOST:PORT URL");
    }
    return uri;
  }

  private static String withoutUserInfo(URI uri) {
    String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    return uri.getScheme().toLowerCase() + "://" + uri.getHost() + port + path;
  }

  private static String basicAuth(String rawUserInfo) {
    String userInfo = URLDecoder.decode(rawUserInfo, StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }

  private static String pathSegment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** An HTTP error answer, kept apart so "schema not found" on a lookup can become an {@link UnknownSchemaIdException}. */
  private static final class RegistryError extends SchemaRegistryException {
    final int errorCode;
    final String registryMessage;

    RegistryError(int status, int errorCode, String registryMessage, String purpose, String method, String url) {
      super("could not " + purpose + ": " + method + " " + url + " answered HTTP " + status + ": " + registryMessage);
      this.errorCode = errorCode;
      this.registryMessage = registryMessage;
    }
  }
}

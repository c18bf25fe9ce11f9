package org.churnsignals.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.PriceEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the client against a real HTTP server on the loopback interface that answers the two endpoints of the
 * Confluent Schema Registry REST API it uses, as the registry documents them.
 */
class HttpSchemaRegistryTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RegistryServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = new RegistryServer();
  }

  @AfterEach
  void stopServer() {
    server.stop();
  }

  @Test
  void registersBySendingTheSchemaToTheSubjectsVersionsEndpoint() throws IOException {
    HttpSchemaRegistry registry = new HttpSchemaRegistry(server.url());

    int id = registry.register("orders-value", OrderEvent.getClassSchema());

    assertThat(id).isEqualTo(1);
    Request request = server.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/subjects/orders-value/versions");
    assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    JsonNode body = JSON.readTree(request.body());
    assertThat(body.size()).isEqualTo(1);
    assertThat(new Schema.Parser().parse(body.get("schema").textValue())).isEqualTo(OrderEvent.getClassSchema());
  }

  @Test
  void registeringTheSameSchemaAgainAsksTheRegistryOnlyOnce() {
    HttpSchemaRegistry registry = new HttpSchemaRegistry(server.url());

    int first = registry.register("orders-value", OrderEvent.getClassSchema());
    int second = registry.register("orders-value", OrderEvent.getClassSchema());

    assertThat(second).isEqualTo(first);
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void looksUpASchemaByIdOnceAndThenServesItFromItsCache() {
    int id = server.store(PriceEvent.getClassSchema());
    HttpSchemaRegistry registry = new HttpSchemaRegistry(server.url());

    Schema first = registry.schemaById(id);
    Schema second = registry.schemaById(id);

    assertThat(first).isEqualTo(PriceEvent.getClassSchema());
    assertThat(second).isSameAs(first);
    assertThat(server.requests()).extracting(Request::method, Request::path)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("GET", "/schemas/ids/" + id));
  }

  @Test
  void needsNoLookupForASchemaItRegistered() {
    HttpSchemaRegistry registry = new HttpSchemaRegistry(server.url());
    int id = registry.register("prices-value", PriceEvent.getClassSchema());

    assertThat(registry.schemaById(id)).isEqualTo(PriceEvent.getClassSchema());
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void reportsAnUnknownIdWithTheRegistrysMessage() {
    HttpSchemaRegistry registry = new HttpSchemaRegistry(server.url());

    assertThatThrownBy(() -> registry.schemaById(42))
        .isInstanceOfSatisfying(UnknownSchemaIdException.class, e -> assertThat(e.id()).isEqualTo(42))
        .hasMessage("unknown schema id 42: not in the schema registry at " + server.url() + " (GET " + server.url()
            + "/schemas/ids/42 answered: Schema 42 not found (error code 40403))");
  }

  @Test
  void reportsARefusedRegistrationWithTheUrlAndTheRegistrysMessage() {
    server.refuseRegistrations(409, 409, "Schema being registered is incompatible with an earlier schema");
    HttpSchemaRegistry registry = new HttpSchemaRegistry(server.url());

    assertThatThrownBy(() -> registry.register("orders-value", OrderEvent.getClassSchema()))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessage("could not register a schema under subject 'orders-value': POST " + server.url()
            + "/subjects/orders-value/versions answered HTTP 409: "
            + "Schema being registered is incompatible with an earlier schema (error code 409)");
  }

  @Test
  void reportsAServerErrorOnLookupAsARegistryFailureNotAnUnknownId() {
    server.failLookups(500, 50001, "Error in the backend data store");
    HttpSchemaRegistry registry = new HttpSchemaRegistry(server.url());

    assertThatThrownBy(() -> registry.schemaById(3))
        .isInstanceOf(SchemaRegistryException.class)
        .isNotInstanceOf(UnknownSchemaIdException.class)
        .hasMessageContaining("GET " + server.url() + "/schemas/ids/3 answered HTTP 500: Error in the backend data store");
  }

  @Test
  void reportsAnUnreachableRegistryNamingItsUrl() {
    String url = server.url();
    server.stop();
    HttpSchemaRegistry registry = new HttpSchemaRegistry(url);

    assertThatThrownBy(() -> registry.register("orders-value", OrderEvent.getClassSchema()))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageStartingWith("could not register a schema under subject 'orders-value': POST " + url
            + "/subjects/orders-value/versions failed: ");
  }

  @Test
  void sendsTheUrlsUserInfoAsBasicAuthAndKeepsThePasswordOutOfMessages() {
    String url = server.url().replace("http://", "http://alice:s3cret@");
    HttpSchemaRegistry registry = new HttpSchemaRegistry(url);

    registry.register("orders-value", OrderEvent.getClassSchema());
    Throwable unknownId = org.assertj.core.api.Assertions.catchThrowable(() -> registry.schemaById(42));

    assertThat(server.requests().get(0).authorization()).isEqualTo("Basic YWxpY2U6czNjcmV0");
    assertThat(server.requests().get(1).authorization()).isEqualTo("Basic YWxpY2U6czNjcmV0");
    assertThat(unknownId).hasMessageNotContaining("s3cret").hasMessageNotContaining("alice");
  }

  @Test
  void aSerdeOnTheHttpRegistryReadsWhatAnotherInstanceWrote() {
    ConfluentAvroSerde<OrderEvent> writer = new ConfluentAvroSerde<>(OrderEvent.class,
        new HttpSchemaRegistry(server.url()));
    ConfluentAvroSerde<OrderEvent> reader = new ConfluentAvroSerde<>(OrderEvent.class,
        new HttpSchemaRegistry(server.url()));

    byte[] bytes = writer.serializer().serialize("orders", SampleRecords.orderPlaced());
    OrderEvent read = reader.deserializer().deserialize("orders", bytes);
    reader.deserializer().deserialize("orders", bytes);

    assertThat(read).isEqualTo(SampleRecords.orderPlaced());
    assertThat(server.requests()).extracting(Request::method, Request::path).containsExactly(
        org.assertj.core.groups.Tuple.tuple("POST", "/subjects/orders-value/versions"),
        org.assertj.core.groups.Tuple.tuple("GET", "/schemas/ids/1"));
  }

  record Request(String method, String path, String contentType, String authorization, String body) {
  }

  /** The registry's REST API for the two calls the client makes, with ids assigned from 1. */
  static final class RegistryServer {
    private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern LOOKUP = Pattern.compile("/schemas/ids/(\\d+)");

    private final HttpServer http;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
    private volatile int[] registerFailure;
    private volatile String registerFailureMessage;
    private volatile int[] lookupFailure;
    private volatile String lookupFailureMessage;

    RegistryServer() throws IOException {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.createContext("/", this::handle);
      http.start();
    }

    String url() {
      return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    synchronized List<Request> requests() {
      return List.copyOf(requests);
    }

    int store(Schema schema) {
      return ids.computeIfAbsent(schema.toString(), text -> {
        int id = ids.size() + 1;
        schemas.put(id, text);
        return id;
      });
    }

    void refuseRegistrations(int status, int errorCode, String message) {
      registerFailure = new int[] {status, errorCode};
      registerFailureMessage = message;
    }

    void failLookups(int status, int errorCode, String message) {
      lookupFailure = new int[] {status, errorCode};
      lookupFailureMessage = message;
    }

    void stop() {
      http.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getRawPath();
      synchronized (this) {
        requests.add(new Request(exchange.getRequestMethod(), path,
            exchange.getRequestHeaders().getFirst("Content-Type"),
            exchange.getRequestHeaders().getFirst("Authorization"), body));
      }
      Matcher register = REGISTER.matcher(path);
      Matcher lookup = LOOKUP.matcher(path);
      if (exchange.getRequestMethod().equals("POST") && register.matches()) {
        if (registerFailure != null) {
          error(exchange, registerFailure[0], registerFailure[1], registerFailureMessage);
        } else {
          Schema schema = new Schema.Parser().parse(JSON.readTree(body).get("schema").textValue());
          answer(exchange, 200, JSON.createObjectNode().put("id", store(schema)).toString());
        }
      } else if (exchange.getRequestMethod().equals("GET") && lookup.matches()) {
        int id = Integer.parseInt(lookup.group(1));
        if (lookupFailure != null) {
          error(exchange, lookupFailure[0], lookupFailure[1], lookupFailureMessage);
        } else if (schemas.containsKey(id)) {
          answer(exchange, 200, JSON.createObjectNode().put("schema", schemas.get(id)).toString());
        } else {
          error(exchange, 404, 40403, "Schema " + id + " not found");
        }
      } else {
        error(exchange, 404, 404, "HTTP 404 Not Found");
      }
    }

    private static void error(HttpExchange exchange, int status, int errorCode, String message) throws IOException {
      answer(exchange, status, JSON.createObjectNode().put("error_code", errorCode).put("message", message).toString());
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    }
  }
}

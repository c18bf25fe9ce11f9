package org.churnsignals.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.churnsignals.schema.RiskLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetentionServerTest {

  private static final Instant NOW = Instant.now();
  private static final String TOKEN = "s3cret-agent-token";

  private final HttpClient client = HttpClient.newHttpClient();
  private final ObjectMapper json = RetentionJson.mapper();
  private final AtomicBoolean streamsRunning = new AtomicBoolean(true);
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private RetentionServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private RetentionServer serve(String token) {
    server = RetentionServer.start(new RetentionServer.Settings("127.0.0.1", 0, token),
        InMemoryRetentionView.sample(NOW), registry, streamsRunning::get);
    return server;
  }

  private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode body(HttpResponse<String> response) throws IOException {
    return json.readTree(response.body());
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.get(field).asText()));
    return values;
  }

  // --- GET /api/customers/{id}/risk --------------------------------------------------------------

  @Test
  void answersTheProfileWithReasonsSignalsAndTrend() throws Exception {
    serve("");
    HttpResponse<String> response = get("/api/customers/C-000042/risk");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode profile = body(response);
    assertThat(profile.get("customerId").asText()).isEqualTo("C-000042");
    assertThat(profile.get("score").asInt()).isEqualTo(86);
    assertThat(profile.get("level").asText()).isEqualTo("CRITICAL");
    assertThat(profile.get("valueAtRiskCents").asLong()).isEqualTo(184_250);
    assertThat(texts(profile.get("reasons"), "signal"))
        .containsExactly("BROKEN_PROMISE", "UNANSWERED_CALL", "DIFFICULT_RETURN", "SERVICE_RECOVERY");
    assertThat(profile.get("reasons").get(0).get("evidenceEventIds").get(0).asText()).isEqualTo("ord-1017-placed");
    assertThat(profile.get("recommendedActions")).hasSize(4);
    assertThat(profile.get("recentSignals")).hasSize(4);
    assertThat(profile.get("trend")).hasSize(5);
    assertThat(profile.get("contributions").get("BROKEN_PROMISE").asInt()).isEqualTo(30);
  }

  @Test
  void writesInstantsAsIsoStrings() throws Exception {
    serve("");
    JsonNode profile = body(get("/api/customers/C-000042/risk"));

    String updatedAt = profile.get("updatedAt").asText();
    assertThat(updatedAt).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    assertThat(Instant.parse(updatedAt)).isEqualTo(NOW.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minus(Duration.ofMinutes(3)));
  }

  @Test
  void answers404WithJsonForACustomerNeverSeen() throws Exception {
    serve("");
    HttpResponse<String> response = get("/api/customers/C-999999/risk");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(body(response).get("error").asText()).isEqualTo("No customer 'C-999999' has been seen");
  }

  @Test
  void decodesCustomerIdsThatNeedEscapingInAPath() throws Exception {
    serve("");
    HttpResponse<String> response = get("/api/customers/C%20000%2F1/risk");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(body(response).get("error").asText()).isEqualTo("No customer 'C 000/1' has been seen");
  }

  // --- GET /api/customers/at-risk ----------------------------------------------------------------

  @Test
  void listsElevatedAndAboveHighestScoreFirstByDefault() throws Exception {
    serve("");
    JsonNode answer = body(get("/api/customers/at-risk"));

    assertThat(answer.get("minLevel").asText()).isEqualTo("ELEVATED");
    assertThat(answer.get("limit").asInt()).isEqualTo(50);
    assertThat(texts(answer.get("customers"), "customerId")).containsExactly("C-000042", "C-000017", "C-000108");
    assertThat(answer.get("customers").get(0).get("valueAtRiskCents").asLong()).isEqualTo(184_250);
    assertThat(answer.get("customers").get(0).get("strongestReason").asText()).startsWith("Order O-1017 arrived");
    assertThat(answer.get("unavailableInstances")).isEmpty();
  }

  @Test
  void listsOnlyCustomersAtOrAboveTheLevelAsked() throws Exception {
    serve("");
    JsonNode answer = body(get("/api/customers/at-risk?level=HIGH"));

    assertThat(texts(answer.get("customers"), "level")).containsExactly("CRITICAL", "HIGH");
  }

  @Test
  void acceptsALevelInAnyCase() throws Exception {
    serve("");
    JsonNode answer = body(get("/api/customers/at-risk?level=critical"));

    assertThat(texts(answer.get("customers"), "customerId")).containsExactly("C-000042");
  }

  @Test
  void atRiskStopsAtTheLimit() throws Exception {
    serve("");
    JsonNode answer = body(get("/api/customers/at-risk?level=LOW&limit=2"));

    assertThat(texts(answer.get("customers"), "customerId")).containsExactly("C-000042", "C-000017");
  }

  // --- GET /api/alerts ---------------------------------------------------------------------------

  @Test
  void listsTheLastSevenDaysNewestFirstByDefault() throws Exception {
    serve("");
    JsonNode answer = body(get("/api/alerts"));

    assertThat(texts(answer.get("alerts"), "alertId"))
        .containsExactly("alert-42-3", "alert-17-1", "alert-108-1", "alert-42-2");
    assertThat(Instant.parse(answer.get("since").asText()))
        .isBetween(NOW.minus(Duration.ofDays(7)).minusSeconds(5), Instant.now().minus(Duration.ofDays(7)));
    assertThat(answer.get("alerts").get(0).get("reasons").get(0).get("description").asText())
        .isEqualTo("Order O-1017 arrived 4 days after the promised date, with no notice");
  }

  @Test
  void listsAlertsSinceTheInstantAsked() throws Exception {
    serve("");
    JsonNode answer = body(get("/api/alerts?since=" + NOW.minus(Duration.ofDays(30))));

    assertThat(texts(answer.get("alerts"), "alertId")).endsWith("alert-42-1").hasSize(5);
  }

  @Test
  void listsOnlyAlertsAtOrAboveTheLevelAsked() throws Exception {
    serve("");
    JsonNode answer = body(get("/api/alerts?level=HIGH"));

    assertThat(texts(answer.get("alerts"), "alertId")).containsExactly("alert-42-3", "alert-17-1", "alert-42-2");
    assertThat(answer.get("minLevel").asText()).isEqualTo("HIGH");
  }

  @Test
  void alertsStopAtTheLimit() throws Exception {
    serve("");
    JsonNode answer = body(get("/api/alerts?limit=1"));

    assertThat(texts(answer.get("alerts"), "alertId")).containsExactly("alert-42-3");
  }

  // --- 400 for questions the API cannot answer as asked ------------------------------------------

  private void assertBadRequest(String path, String message) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response).get("error").asText()).isEqualTo(message);
  }

  @Test
  void anUnknownLevelIsNamed() throws Exception {
    serve("");
    assertBadRequest("/api/alerts?level=BAD", "level must be one of LOW, ELEVATED, HIGH, CRITICAL, got 'BAD'");
    assertBadRequest("/api/customers/at-risk?level=SEVERE",
        "level must be one of LOW, ELEVATED, HIGH, CRITICAL, got 'SEVERE'");
  }

  @Test
  void aLimitOutsideOneTo500IsRefused() throws Exception {
    serve("");
    assertBadRequest("/api/alerts?limit=-1", "limit must be a whole number from 1 to 500, got '-1'");
    assertBadRequest("/api/alerts?limit=0", "limit must be a whole number from 1 to 500, got '0'");
    assertBadRequest("/api/customers/at-risk?limit=501", "limit must be a whole number from 1 to 500, got '501'");
    assertBadRequest("/api/customers/at-risk?limit=99999999999", "limit must be a whole number from 1 to 500, got '99999999999'");
    assertBadRequest("/api/alerts?limit=ten", "limit must be a whole number from 1 to 500, got 'ten'");
  }

  @Test
  void aSinceThatIsNotAnInstantIsRefused() throws Exception {
    serve("");
    assertBadRequest("/api/alerts?since=yesterday",
        "since must be an ISO-8601 instant such as 2026-03-01T10:15:00Z, got 'yesterday'");
    assertBadRequest("/api/alerts?since=2026-03-01",
        "since must be an ISO-8601 instant such as 2026-03-01T10:15:00Z, got '2026-03-01'");
  }

  @Test
  void anUnknownApiPathAnswersJson404() throws Exception {
    serve("");
    HttpResponse<String> response = get("/api/customers");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(body(response).get("error").asText()).isEqualTo("No such endpoint");
  }

  // --- bearer token ------------------------------------------------------------------------------

  @Test
  void apiRefusesARequestWithoutTheToken() throws Exception {
    serve(TOKEN);
    HttpResponse<String> response = get("/api/alerts");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(body(response).get("error").asText()).isEqualTo("A bearer token is required: Authorization: Bearer TOKEN");
  }

  @Test
  void apiRefusesAWrongToken() throws Exception {
    serve(TOKEN);
    HttpResponse<String> response = get("/api/customers/C-000042/risk", "Authorization", "Bearer guess");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(body(response).get("error").asText()).isEqualTo("The bearer token is not valid");
    assertThat(response.body()).doesNotContain("C-000042");
  }

  @Test
  void apiAnswersWithTheToken() throws Exception {
    serve(TOKEN);
    HttpResponse<String> response = get("/api/customers/C-000042/risk", "Authorization", "Bearer " + TOKEN);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body(response).get("customerId").asText()).isEqualTo("C-000042");
  }

  @Test
  void internalEndpointsNeedTheTokenToo() throws Exception {
    serve(TOKEN);

    assertThat(get("/internal/customers/C-000042").statusCode()).isEqualTo(401);
    assertThat(get("/internal/at-risk").statusCode()).isEqualTo(401);
    assertThat(get("/internal/alerts").statusCode()).isEqualTo(401);
    assertThat(get("/internal/at-risk", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void healthMetricsAndTheConsolePageStayOpen() throws Exception {
    serve(TOKEN);

    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(get("/metrics").statusCode()).isEqualTo(200);
    assertThat(get("/").statusCode()).isEqualTo(200);
  }

  @Test
  void withoutATokenConfiguredTheApiIsOpen() throws Exception {
    serve("");

    assertThat(get("/api/alerts").statusCode()).isEqualTo(200);
  }

  // --- what peers ask ----------------------------------------------------------------------------

  @Test
  void answersBareLocalAnswersForPeers() throws Exception {
    serve("");

    assertThat(body(get("/internal/customers/C-000017")).get("score").asInt()).isEqualTo(64);
    assertThat(texts(body(get("/internal/at-risk?level=HIGH&limit=1")), "customerId")).containsExactly("C-000042");
    assertThat(texts(body(get("/internal/alerts?level=CRITICAL")), "alertId")).containsExactly("alert-42-3");
    assertThat(get("/internal/customers/C-999999").statusCode()).isEqualTo(404);
  }

  // --- health, metrics, port and console ---------------------------------------------------------

  @Test
  void isLiveWhileItAnswers() throws Exception {
    serve("");
    HttpResponse<String> response = get("/health/live");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body(response).get("status").asText()).isEqualTo("UP");
  }

  @Test
  void isReadyOnlyWhileTheStreamsApplicationRuns() throws Exception {
    serve("");
    streamsRunning.set(false);
    HttpResponse<String> starting = get("/health/ready");
    streamsRunning.set(true);
    HttpResponse<String> running = get("/health/ready");

    assertThat(starting.statusCode()).isEqualTo(503);
    assertThat(body(starting).get("status").asText()).isEqualTo("NOT_READY");
    assertThat(running.statusCode()).isEqualTo(200);
    assertThat(body(running).get("status").asText()).isEqualTo("READY");
  }

  @Test
  void servesThePrometheusScrapeAsText004() throws Exception {
    serve("");
    new ChurnMetrics(registry).alertRaised(RiskLevel.HIGH);
    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body()).contains("churn_alerts_raised_total{level=\"HIGH\"} 1.0");
    assertThat(response.body()).contains("# TYPE churn_customers gauge");
  }

  @Test
  void listensOnTheRealPortWhenAskedForPortZero() throws Exception {
    serve("");

    assertThat(server.port()).isPositive();
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void servesTheConsoleAtTheRootWithAStrictContentSecurityPolicy() throws Exception {
    serve("");
    HttpResponse<String> page = get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(t -> assertThat(t).contains("default-src 'self'"));
    assertThat(page.body()).contains("data-testid=\"alerts-inbox\"").doesNotContain("http://", "https://");
    assertThat(get("/app.js").statusCode()).isEqualTo(200);
    assertThat(get("/console.css").statusCode()).isEqualTo(200);
  }
}

package org.churnsignals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The retention API of the running application, over what it computed from a small history on a real broker. */
class RetentionApiIT {

  private static final EventHistory history = new EventHistory(21, "api");
  private static KafkaBroker broker;
  private static LivePipeline pipeline;

  @BeforeAll
  static void startThePipelineAndLetThreeCustomersHaveABadFortnight() throws InterruptedException {
    broker = KafkaBroker.start(0);
    pipeline = LivePipeline.start(broker, LivePipeline.config(broker, Map.of()));
    // Placed on day d, promised for d + 2, delivered on d + 4.
    lateDelivery("C-A", "O-A1", 0, 8_000);
    lateDelivery("C-B", "O-B1", 1, 6_000);
    lateDelivery("C-C", "O-C1", 2, 3_000);
    lateDelivery("C-A", "O-A2", 5, 8_000);
    lateDelivery("C-B", "O-B2", 6, 6_000);
    lateDelivery("C-A", "O-A3", 10, 8_000);
    pipeline.send(history.inTimeOrder());

    pipeline.awaitJson("/api/customers/C-A/risk", risk -> risk.get("recentSignals").size() == 3, "C-A's three signals");
    pipeline.awaitJson("/api/customers/C-B/risk", risk -> risk.get("recentSignals").size() == 2, "C-B's two signals");
    pipeline.awaitJson("/api/customers/C-C/risk", risk -> risk.get("recentSignals").size() == 1, "C-C's signal");
  }

  private static void lateDelivery(String customer, String order, int day, long cents) {
    history.placed(customer, order, history.day(day), history.day(day + 2), cents);
    history.delivered(customer, order, history.day(day + 4));
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static List<JsonNode> list(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).toList();
  }

  private static String since(Instant at) {
    return URLEncoder.encode(at.toString(), StandardCharsets.UTF_8);
  }

  // --- one customer --------------------------------------------------------------------------------

  @Test
  void aCustomersRiskComesWithItsReasonsActionsAndRecentSignalsNewestFirst() {
    HttpResponse<String> response = pipeline.get("/api/customers/C-A/risk");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    JsonNode risk = pipeline.json(response);
    assertThat(risk.get("customerId").asText()).isEqualTo("C-A");
    assertThat(risk.get("level").asText()).isIn("HIGH", "CRITICAL");
    assertThat(risk.get("score").asInt()).isBetween(50, 100);
    assertThat(risk.get("valueAtRiskCents").asLong()).isEqualTo(24_000);
    assertThat(risk.get("contributions").get("BROKEN_PROMISE").asInt()).isEqualTo(risk.get("score").asInt());
    List<JsonNode> reasons = list(risk.get("reasons"));
    assertThat(reasons).hasSize(3).allSatisfy(reason -> {
      assertThat(reason.get("signal").asText()).isEqualTo("BROKEN_PROMISE");
      assertThat(reason.get("description").asText()).startsWith("Order O-A");
      assertThat(reason.get("evidenceEventIds")).isNotEmpty();
    });
    assertThat(reasons).extracting(r -> r.get("points").asInt()).isSortedAccordingTo((a, b) -> b - a);
    assertThat(list(risk.get("recommendedActions"))).extracting(JsonNode::asText)
        .anyMatch(action -> action.contains("firm new delivery date"));
    List<JsonNode> recent = list(risk.get("recentSignals"));
    assertThat(recent).extracting(s -> s.get("description").asText())
        .satisfiesExactly(
            newest -> assertThat(newest).startsWith("Order O-A3"),
            middle -> assertThat(middle).startsWith("Order O-A2"),
            oldest -> assertThat(oldest).startsWith("Order O-A1"));
    assertThat(list(risk.get("trend"))).isNotEmpty();
  }

  @Test
  void aCustomerNeverSeenIsNotFoundWithAJsonError() {
    HttpResponse<String> response = pipeline.get("/api/customers/C-NOBODY/risk");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(pipeline.json(response).get("error").asText()).isEqualTo("No customer 'C-NOBODY' has been seen");
  }

  // --- lists ---------------------------------------------------------------------------------------

  @Test
  void theAtRiskListHoldsCustomersAtTheLevelOrAboveHighestScoreFirstWithTheirValueAtRisk() {
    JsonNode answer = pipeline.json(pipeline.get("/api/customers/at-risk?level=HIGH"));

    assertThat(answer.get("minLevel").asText()).isEqualTo("HIGH");
    List<JsonNode> customers = list(answer.get("customers"));
    assertThat(customers).extracting(c -> c.get("customerId").asText()).containsExactly("C-A", "C-B");
    assertThat(customers).extracting(c -> c.get("level").asText()).allMatch(level -> level.equals("HIGH") || level.equals("CRITICAL"));
    assertThat(customers.get(0).get("score").asInt()).isGreaterThan(customers.get(1).get("score").asInt());
    assertThat(customers).extracting(c -> c.get("valueAtRiskCents").asLong()).containsExactly(24_000L, 12_000L);
    assertThat(customers).extracting(c -> c.get("strongestReason").asText()).allMatch(reason -> reason.startsWith("Order O-"));
    assertThat(answer.get("unavailableInstances")).isEmpty();
  }

  @Test
  void alertsComeNewestFirstAndCanBeNarrowedBySinceLevelAndLimit() {
    List<JsonNode> all = list(pipeline.json(pipeline.get("/api/alerts?since=" + since(history.day(0)))).get("alerts"));
    assertThat(all).extracting(a -> a.get("customerId").asText()).contains("C-A", "C-B").doesNotContain("C-C");
    List<Instant> raised = all.stream().map(a -> Instant.parse(a.get("raisedAt").asText())).toList();
    assertThat(raised).isSortedAccordingTo((a, b) -> b.compareTo(a));
    assertThat(all).allSatisfy(alert -> assertThat(alert.get("reasons")).isNotEmpty());

    List<JsonNode> critical = list(pipeline.json(pipeline.get("/api/alerts?level=critical&since=" + since(history.day(0)))).get("alerts"));
    assertThat(critical).isNotEmpty().allSatisfy(alert -> assertThat(alert.get("level").asText()).isEqualTo("CRITICAL"));

    List<JsonNode> newest = list(pipeline.json(pipeline.get("/api/alerts?limit=1&since=" + since(history.day(0)))).get("alerts"));
    assertThat(newest).extracting(a -> a.get("alertId").asText()).containsExactly(all.get(0).get("alertId").asText());

    Instant secondNewest = raised.get(1);
    List<JsonNode> recent = list(pipeline.json(pipeline.get("/api/alerts?since=" + since(secondNewest))).get("alerts"));
    List<JsonNode> expected = new ArrayList<>(all.subList(0, (int) raised.stream().filter(at -> !at.isBefore(secondNewest)).count()));
    assertThat(recent).extracting(a -> a.get("alertId").asText())
        .containsExactlyElementsOf(expected.stream().map(a -> a.get("alertId").asText()).toList());
  }

  @Test
  void aQuestionThatCannotBeAnsweredAsAskedIsABadRequestThatSaysWhy() {
    Map<String, String> badQuestions = Map.of(
        "/api/customers/at-risk?level=SEVERE", "level must be one of LOW, ELEVATED, HIGH, CRITICAL, got 'SEVERE'",
        "/api/alerts?limit=0", "limit must be a whole number from 1 to 500, got '0'",
        "/api/alerts?limit=many", "limit must be a whole number from 1 to 500, got 'many'",
        "/api/alerts?since=yesterday", "since must be an ISO-8601 instant such as 2026-03-01T10:15:00Z, got 'yesterday'");

    badQuestions.forEach((question, error) -> {
      HttpResponse<String> response = pipeline.get(question);
      assertThat(response.statusCode()).as(question).isEqualTo(400);
      assertThat(pipeline.json(response).get("error").asText()).as(question).isEqualTo(error);
    });
  }

  // --- operations ----------------------------------------------------------------------------------

  @Test
  void healthProbesSayLiveAndReadyOnceThePipelineRuns() {
    HttpResponse<String> live = pipeline.get("/health/live");
    HttpResponse<String> ready = pipeline.get("/health/ready");

    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(pipeline.json(live).get("status").asText()).isEqualTo("UP");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(pipeline.json(ready).get("status").asText()).isEqualTo("READY");
  }

  @Test
  void metricsCountAlertsByLevelAlongsideKafkaStreamsOwnMetrics() {
    HttpResponse<String> metrics = pipeline.get("/metrics");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(metrics.body()).contains("churn_alerts_raised_total{level=\"HIGH\"}").contains("kafka_stream_");
  }

  @Test
  void withATokenConfiguredTheApiAnswersOnlyABearerOfIt() throws InterruptedException {
    try (LivePipeline guarded = LivePipeline.start(broker, LivePipeline.config(broker, Map.of("http.token", "agent-secret")))) {
      HttpResponse<String> without = guarded.get("/api/customers/at-risk");
      HttpResponse<String> wrong = guarded.get("/api/customers/at-risk", "Authorization", "Bearer not-the-secret");
      HttpResponse<String> with = guarded.get("/api/customers/at-risk", "Authorization", "Bearer agent-secret");

      assertThat(without.statusCode()).isEqualTo(401);
      assertThat(without.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"churn-signals\"");
      assertThat(guarded.json(without).get("error").asText()).isEqualTo("A bearer token is required: Authorization: Bearer TOKEN");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(with.statusCode()).isEqualTo(200);
      assertThat(guarded.get("/internal/at-risk").statusCode()).isEqualTo(401);
      assertThat(guarded.get("/health/ready").statusCode()).isEqualTo(200);
    }
  }
}

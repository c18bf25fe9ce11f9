package org.churnsignals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.churnsignals.runtime.LivePipeline.Received;
import org.churnsignals.schema.AlertReason;
import org.churnsignals.schema.ChurnAlert;
import org.churnsignals.schema.CustomerRisk;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.RiskLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole application on a real broker: Avro events in through the Confluent wire format, alerts and risk
 * out on their topics under exactly-once, unusable records on the dead-letter topic without stopping anything.
 */
class PipelineIT {

  private static KafkaBroker broker;
  private static LivePipeline pipeline;
  private static final EventHistory history = new EventHistory(28, "pipeline");

  @BeforeAll
  static void startThePipeline() throws InterruptedException {
    broker = KafkaBroker.start(0);
    pipeline = LivePipeline.start(broker, LivePipeline.config(broker, Map.of()));
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

  @Test
  void threeLateSilentDeliveriesRaiseAnAlertThatSaysWhyWithItsEvidence() {
    String customer = "C-LATE";
    List<List<OrderEvent>> orders = List.of(
        lateDelivery(customer, "O-1", 0),
        lateDelivery(customer, "O-2", 5),
        lateDelivery(customer, "O-3", 10));
    orders.forEach(pipeline::send);

    ChurnAlert alert = pipeline.reader(pipeline.config.topics().alerts(), ChurnAlert.class)
        .awaitValues(alerts -> alerts.stream().anyMatch(a -> a.getReasons().size() == 3), "an alert with three reasons")
        .stream().filter(a -> a.getReasons().size() == 3).findFirst().orElseThrow();

    assertThat(alert.getAlertId()).isNotBlank();
    assertThat(alert.getCustomerId()).isEqualTo(customer);
    assertThat(alert.getLevel()).isIn(RiskLevel.HIGH, RiskLevel.CRITICAL);
    assertThat(alert.getRaisedAt()).isEqualTo(orders.get(2).get(1).getOccurredAt());
    assertThat(alert.getReasons()).extracting(AlertReason::getSignal).containsOnly("BROKEN_PROMISE");
    assertThat(alert.getReasons()).extracting(AlertReason::getPoints).isSortedAccordingTo((a, b) -> b - a);
    assertThat(alert.getReasons()).extracting(AlertReason::getDescription).containsExactly(
        "Order O-3 arrived 2 days after the promised date, with no notice; this has happened 3 times in 30 days",
        "Order O-2 arrived 2 days after the promised date, with no notice; this has happened 2 times in 30 days",
        "Order O-1 arrived 2 days after the promised date, with no notice");
    assertThat(alert.getReasons()).extracting(AlertReason::getEvidenceEventIds).containsExactly(
        evidence(orders.get(2)), evidence(orders.get(1)), evidence(orders.get(0)));
    assertThat(alert.getRecommendedActions()).isNotEmpty();
    assertThat(alert.getValueAtRiskCents()).isEqualTo(3 * 8_000);

    CustomerRisk risk = pipeline.reader(pipeline.config.topics().risk(), CustomerRisk.class)
        .awaitValues(risks -> risks.stream().anyMatch(r -> r.getCustomerId().equals(customer)
            && r.getUpdatedAt().equals(alert.getRaisedAt())), "the risk after the third late delivery")
        .stream().filter(r -> r.getUpdatedAt().equals(alert.getRaisedAt())).findFirst().orElseThrow();
    assertThat(risk.getScore()).isEqualTo(alert.getScore());
    assertThat(risk.getLevel()).isEqualTo(alert.getLevel());
    assertThat(risk.getContributions()).containsOnlyKeys("BROKEN_PROMISE");
    assertThat(risk.getValueAtRiskCents()).isEqualTo(3 * 8_000);
  }

  /** Placed on {@code day}, promised two days later, delivered two days after that without a word. */
  private static List<OrderEvent> lateDelivery(String customer, String order, int day) {
    return List.of(
        history.placed(customer, order, history.day(day), history.day(day + 2), 8_000),
        history.delivered(customer, order, history.day(day + 4)));
  }

  private static List<String> evidence(List<OrderEvent> placedAndDelivered) {
    return placedAndDelivered.stream().map(OrderEvent::getEventId).toList();
  }

  @Test
  void unreadableAndIncompleteOrdersGoToTheDeadLetterTopicAsReceivedWhileLaterOrdersStillCount() {
    String orders = pipeline.config.topics().orders();
    // Dated before the rest of the history, so that these records move no deadline of another test's customer.
    byte[] garbage = "this is not Avro".getBytes(StandardCharsets.UTF_8);
    RecordMetadata garbageSent = pipeline.sendRaw(orders, "C-GARBAGE", garbage, history.day(-3));
    OrderEvent incomplete = history.placed("C-INCOMPLETE", "O-9", history.day(-3), history.day(-1), 1_000);
    incomplete.setTotalCents(null);
    RecordMetadata incompleteSent = pipeline.send(incomplete);
    OrderEvent good = history.placed("C-AFTER", "O-10", history.day(-3), history.day(-1), 4_200);
    pipeline.send(good);

    List<Received<byte[]>> deadLetters = pipeline.rawReader(pipeline.config.topics().deadLetters())
        .awaitRecords(records -> records.size() >= 2, "two dead letters");
    assertThat(deadLetters).hasSize(2);

    Received<byte[]> unreadable = deadLetters.stream().filter(r -> "C-GARBAGE".equals(r.key())).findFirst().orElseThrow();
    assertThat(unreadable.value()).isEqualTo(garbage);
    assertThat(unreadable.header("dead-letter.source-topic")).isEqualTo(orders);
    assertThat(unreadable.header("dead-letter.source-partition")).isEqualTo(Integer.toString(garbageSent.partition()));
    assertThat(unreadable.header("dead-letter.source-offset")).isEqualTo(Long.toString(garbageSent.offset()));
    assertThat(unreadable.header("dead-letter.reason")).isEqualTo("no_magic_byte");
    assertThat(unreadable.header("dead-letter.error")).contains("magic byte");

    Received<byte[]> missingTotal = deadLetters.stream().filter(r -> "C-INCOMPLETE".equals(r.key())).findFirst().orElseThrow();
    assertThat(missingTotal.value()).isEqualTo(pipeline.serialize(orders, incomplete));
    assertThat(missingTotal.header("dead-letter.source-topic")).isEqualTo(orders);
    assertThat(missingTotal.header("dead-letter.source-partition")).isEqualTo(Integer.toString(incompleteSent.partition()));
    assertThat(missingTotal.header("dead-letter.source-offset")).isEqualTo(Long.toString(incompleteSent.offset()));
    assertThat(missingTotal.header("dead-letter.reason")).isEqualTo("missing_field");
    assertThat(missingTotal.header("dead-letter.error")).isEqualTo("missing required field 'totalCents' for type PLACED");

    pipeline.reader(pipeline.config.topics().risk(), CustomerRisk.class).awaitValues(
        risks -> risks.stream().anyMatch(r -> r.getCustomerId().equals("C-AFTER") && r.getValueAtRiskCents() == 4_200),
        "the risk of the customer whose good order came after the bad ones");
  }
}

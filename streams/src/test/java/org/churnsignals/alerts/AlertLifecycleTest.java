package org.churnsignals.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.churnsignals.topology.PipelineFixture.T0;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.schema.AlertReason;
import org.churnsignals.schema.ChurnAlert;
import org.churnsignals.schema.ContactChannel;
import org.churnsignals.schema.ContactEventType;
import org.churnsignals.schema.OrderLine;
import org.churnsignals.schema.ReturnEventType;
import org.churnsignals.schema.ReturnReason;
import org.churnsignals.schema.RiskLevel;
import org.churnsignals.topology.PipelineFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Alerts as a retention agent sees them. Repetition does not escalate here (except where a test says so),
 * so a customer's score is the sum of the points sent, faded; levels are at 25, 50 and 75.
 */
class AlertLifecycleTest {

  private static final Duration DAY = Duration.ofDays(1);
  private static final Duration HOUR = Duration.ofHours(1);
  /** Without escalation, and with a 10-day half-life, the points of these stories stay easy to follow. */
  private static final ChurnConfig NO_ESCALATION =
      ChurnConfig.defaults().with("risk.repeat-escalation", "0").with("risk.half-life", "10d");

  private PipelineFixture pipeline = new PipelineFixture(NO_ESCALATION);
  private int orders;
  private int contacts;

  @AfterEach
  void close() {
    pipeline.close();
  }

  private Instant day(double n) {
    return T0.plus(Duration.ofMillis(Math.round(n * DAY.toMillis())));
  }

  /** An OVERCHARGED signal of 10 to 30 points: 10 and one a percent above the quote. */
  private void overcharged(PipelineFixture on, String customer, Instant at, int points) {
    long quoted = 10_000;
    long charged = quoted + (points - 10) * 100L;
    on.send(on.placed(customer, "O-" + ++orders, at, at.plus(DAY.multipliedBy(90)), charged, quoted,
        List.of(new OrderLine("SKU-1", charged, 1))));
  }

  private void overcharged(String customer, Instant at, int points) {
    overcharged(pipeline, customer, at, points);
  }

  /** A SERVICE_RECOVERY of -10: an e-mail resolved an hour after it came in. */
  private void recovered(String customer, Instant at) {
    String contact = "K-" + ++contacts;
    pipeline.send(pipeline.contact(ContactEventType.OPENED, customer, contact, ContactChannel.EMAIL, at));
    pipeline.send(pipeline.contact(ContactEventType.RESOLVED, customer, contact, ContactChannel.EMAIL, at.plus(HOUR)));
  }

  private RiskLevel level(String customer) {
    return pipeline.state(customer).getRisk().getLevel();
  }

  // --- when alerts are raised ----------------------------------------------------------------------

  @Test
  void shouldRaiseAnAlertWhenACustomerEntersHigh() {
    overcharged("C-1", T0, 30);
    assertThat(pipeline.alerts()).isEmpty();

    overcharged("C-1", T0, 20);

    assertThat(pipeline.alerts()).singleElement().satisfies(alert -> {
      assertThat(alert.getCustomerId()).isEqualTo("C-1");
      assertThat(alert.getLevel()).isEqualTo(RiskLevel.HIGH);
      assertThat(alert.getScore()).isEqualTo(50);
      assertThat(alert.getRaisedAt()).isEqualTo(T0);
    });
  }

  @Test
  void shouldCountTheOrderThatRaisedTheAlertInItsValueAtRisk() {
    overcharged("C-1", T0, 30);

    overcharged("C-1", T0.plus(HOUR), 20);

    assertThat(pipeline.alerts()).singleElement()
        .satisfies(alert -> assertThat(alert.getValueAtRiskCents()).isEqualTo(12_000 + 11_000));
  }

  @Test
  void shouldRaiseAnotherAlertWhenAHighCustomerEscalatesToCritical() {
    overcharged("C-1", T0, 30);
    overcharged("C-1", T0, 20);

    overcharged("C-1", T0, 25);

    assertThat(pipeline.alerts()).extracting(ChurnAlert::getLevel).containsExactly(RiskLevel.HIGH, RiskLevel.CRITICAL);
    assertThat(pipeline.alerts().get(1).getScore()).isEqualTo(75);
  }

  @Test
  void shouldNotAlertAgainForACustomerWhoDropsBelowAndReturnsToTheSameLevelWithinTheCooldown() {
    overcharged("C-1", T0, 30);
    overcharged("C-1", T0, 20);
    pipeline.passTime(day(2.5));
    assertThat(level("C-1")).isEqualTo(RiskLevel.ELEVATED);

    overcharged("C-1", day(3), 20);

    assertThat(level("C-1")).isEqualTo(RiskLevel.HIGH);
    assertThat(pipeline.alerts()).hasSize(1);
  }

  @Test
  void shouldAlertAgainAtTheSameLevelOnceTheCooldownHasPassed() {
    overcharged("C-1", T0, 30);
    overcharged("C-1", T0, 20);
    pipeline.passTime(day(8.5));
    assertThat(level("C-1")).isEqualTo(RiskLevel.ELEVATED);

    overcharged("C-1", day(9), 30);

    assertThat(pipeline.alerts()).extracting(ChurnAlert::getLevel).containsExactly(RiskLevel.HIGH, RiskLevel.HIGH);
    assertThat(pipeline.alerts().get(1).getRaisedAt()).isEqualTo(day(9));
  }

  @Test
  void shouldNotAlertAtHighForACustomerAlertedAtCriticalWithinTheCooldown() {
    overcharged("C-1", T0, 30);
    overcharged("C-1", T0, 19);
    overcharged("C-1", T0, 30);
    assertThat(pipeline.alerts()).extracting(ChurnAlert::getLevel).containsExactly(RiskLevel.CRITICAL);
    for (int i = 0; i < 4; i++) {
      recovered("C-1", T0.plus(HOUR));
    }
    assertThat(level("C-1")).isEqualTo(RiskLevel.ELEVATED);

    overcharged("C-1", T0.plus(HOUR.multipliedBy(3)), 20);

    assertThat(level("C-1")).isEqualTo(RiskLevel.HIGH);
    assertThat(pipeline.alerts()).hasSize(1);
  }

  @Test
  void shouldGiveTheSameAlertIdsToTheSameHistoryInAFreshPipeline() {
    List<String> first = alertIdsOfAStory(pipeline);
    orders = 0;
    try (PipelineFixture again = new PipelineFixture(NO_ESCALATION)) {
      List<String> second = alertIdsOfAStory(again);

      assertThat(first).hasSize(2).doesNotHaveDuplicates();
      assertThat(second).isEqualTo(first);
    }
  }

  private List<String> alertIdsOfAStory(PipelineFixture on) {
    overcharged(on, "C-1", T0, 30);
    overcharged(on, "C-1", T0, 20);
    overcharged(on, "C-1", T0.plus(HOUR), 30);
    return on.alerts().stream().map(ChurnAlert::getAlertId).toList();
  }

  // --- what alerts say -----------------------------------------------------------------------------

  @Test
  void shouldListTheReasonsStrongestFirstWithTheirEvidence() {
    pipeline.send(pipeline.returnRequested("C-1", "R-1", "O-0", T0, ReturnReason.DEFECTIVE));
    overcharged("C-1", T0, 30);

    assertThat(pipeline.alerts()).singleElement().satisfies(alert -> {
      assertThat(alert.getReasons()).extracting(AlertReason::getSignal).containsExactly("OVERCHARGED", "DEFECTIVE_PRODUCT");
      assertThat(alert.getReasons()).extracting(AlertReason::getPoints).containsExactly(30, 20);
      assertThat(alert.getReasons().get(0).getEvidenceEventIds()).containsExactly("E-2");
      assertThat(alert.getReasons().get(0).getDescription())
          .isEqualTo("Order O-1 was charged $120.00, $20.00 (20%) more than the $100.00 quoted");
      assertThat(alert.getReasons().get(1).getEvidenceEventIds()).containsExactly("E-1");
    });
  }

  @Test
  void shouldRecommendRefundingThePriceDifferenceForPriceDrops() {
    for (String sku : List.of("SKU-A", "SKU-B")) {
      pipeline.send(pipeline.placed("C-1", "O-" + sku, T0, day(90), 10_000, null, List.of(new OrderLine(sku, 10_000L, 1))));
    }
    pipeline.send(pipeline.priceChange("SKU-A", day(1), 10_000, 4_000));
    pipeline.send(pipeline.priceChange("SKU-B", day(1), 10_000, 4_000));

    assertThat(pipeline.alerts()).singleElement()
        .satisfies(alert -> assertThat(alert.getRecommendedActions()).containsExactly("Refund the price difference."));
  }

  @Test
  void shouldRecommendCallingBackACustomerWhoseCallsWereNotReturned() {
    useDefaultConfig();
    pipeline.send(pipeline.contact(ContactEventType.ABANDONED, "C-1", "K-1", ContactChannel.PHONE, T0));
    pipeline.send(pipeline.contact(ContactEventType.ABANDONED, "C-1", "K-2", ContactChannel.PHONE, T0));
    pipeline.passTime(T0.plus(HOUR.multipliedBy(5)));

    assertThat(pipeline.alerts()).singleElement()
        .satisfies(alert -> assertThat(alert.getRecommendedActions()).containsExactly("Call the customer back today."));
  }

  @Test
  void shouldPutASeniorPersonsCallFirstForACustomerWithThreeOrMoreReasons() {
    overcharged("C-1", T0, 20);
    pipeline.send(pipeline.returnRequested("C-1", "R-1", "O-1", T0, ReturnReason.DEFECTIVE));
    pipeline.send(pipeline.returnEvent(ReturnEventType.REJECTED, "C-1", "R-1", "O-1", T0.plus(HOUR)));

    assertThat(pipeline.alerts()).singleElement().satisfies(alert -> {
      assertThat(alert.getReasons()).hasSize(3);
      assertThat(alert.getRecommendedActions()).containsExactly(
          "Have a senior person call the customer: several things have gone wrong.",
          "Waive the return fee and complete the refund today.",
          "Refund the difference between the charge and the quote.",
          "Replace the item at no cost and apologise.");
    });
  }

  private void useDefaultConfig() {
    pipeline.close();
    pipeline = new PipelineFixture();
  }
}

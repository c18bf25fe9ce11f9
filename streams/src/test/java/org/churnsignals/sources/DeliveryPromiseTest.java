package org.churnsignals.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.churnsignals.topology.PipelineFixture.T0;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.churnsignals.schema.ChurnAlert;
import org.churnsignals.schema.OrderEventType;
import org.churnsignals.schema.OrderLine;
import org.churnsignals.schema.RiskLevel;
import org.churnsignals.schema.Signal;
import org.churnsignals.topology.PipelineFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryPromiseTest {

  private static final Duration DAY = Duration.ofDays(1);
  private final PipelineFixture pipeline = new PipelineFixture();

  @AfterEach
  void close() {
    pipeline.close();
  }

  private Instant day(int n) {
    return T0.plus(DAY.multipliedBy(n));
  }

  @Test
  void shouldRaiseBrokenPromiseWhenDeliveredLateWithNoNotice() {
    pipeline.send(pipeline.placed("C-1", "O-17", T0, day(3), 5_000));
    pipeline.send(pipeline.order(OrderEventType.DELIVERED, "C-1", "O-17", day(7)));

    List<Signal> broken = pipeline.signals("C-1", "BROKEN_PROMISE");
    assertThat(broken).hasSize(1);
    assertThat(broken.get(0).getDescription()).isEqualTo("Order O-17 arrived 4 days after the promised date, with no notice");
    assertThat(broken.get(0).getPoints()).isEqualTo(15 + 4 * 5);
    assertThat(broken.get(0).getEvidenceEventIds()).containsExactly("E-1", "E-2");
  }

  @Test
  void shouldWeighALateDeliveryLessWhenTheCustomerWasToldBeforeThePromise() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, day(3), 5_000));
    pipeline.send(pipeline.delayNotified("C-1", "O-1", day(2), day(7)));
    pipeline.send(pipeline.order(OrderEventType.DELIVERED, "C-1", "O-1", day(7)));
    pipeline.send(pipeline.placed("C-2", "O-2", T0, day(3), 5_000));
    pipeline.send(pipeline.order(OrderEventType.DELIVERED, "C-2", "O-2", day(7)));

    Signal told = pipeline.signals("C-1", "BROKEN_PROMISE").get(0);
    Signal silent = pipeline.signals("C-2", "BROKEN_PROMISE").get(0);
    assertThat(told.getPoints()).isLessThan(silent.getPoints());
    assertThat(told.getDescription()).contains("told of the delay in advance");
    assertThat(told.getEvidenceEventIds()).contains("E-2");
  }

  @Test
  void shouldNotCountANoticeGivenAfterThePromiseHadPassed() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, day(3), 5_000));
    pipeline.send(pipeline.delayNotified("C-1", "O-1", day(3).plus(Duration.ofHours(1)), day(7)));
    pipeline.send(pipeline.order(OrderEventType.DELIVERED, "C-1", "O-1", day(5)));

    assertThat(pipeline.signals("C-1", "BROKEN_PROMISE")).singleElement()
        .satisfies(s -> assertThat(s.getDescription()).endsWith("with no notice"));
  }

  @Test
  void shouldRaiseBrokenPromiseAsSoonAsThePromisePassesWithNoDelivery() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, day(3), 5_000));
    pipeline.passTime(day(3).plus(Duration.ofHours(1)));
    assertThat(pipeline.signals("C-1")).isEmpty();

    pipeline.passTime(day(3).plus(Duration.ofHours(3)));

    assertThat(pipeline.signals("C-1", "BROKEN_PROMISE")).singleElement().satisfies(s -> {
      assertThat(s.getDescription()).startsWith("Order O-1 was promised by 5 March at 10:00 and has not been delivered");
      assertThat(s.getOccurredAt()).isEqualTo(day(3).plus(Duration.ofHours(2)));
    });
  }

  @Test
  void shouldNotRaiseTheSamePromiseTwiceWhenTheLateDeliveryFinallyArrives() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, day(3), 5_000));
    pipeline.passTime(day(4));
    pipeline.send(pipeline.order(OrderEventType.DELIVERED, "C-1", "O-1", day(6)));

    assertThat(pipeline.signals("C-1", "BROKEN_PROMISE")).hasSize(1);
  }

  @Test
  void shouldFlagAnUndeliveredOrderByTheWallClockWhenTheCustomerIsQuiet() {
    Instant now = Instant.parse("2026-11-01T00:00:00Z");
    pipeline.send(pipeline.placed("C-1", "O-1", now, now.plus(Duration.ofHours(5)), 5_000));
    pipeline.advanceWallClock(Duration.ofHours(6));
    assertThat(pipeline.signals("C-1")).isEmpty();

    pipeline.advanceWallClock(Duration.ofHours(2));

    assertThat(pipeline.signals("C-1", "BROKEN_PROMISE")).hasSize(1);
  }

  @Test
  void shouldCreditADeliveryWellBeforeThePromise() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, day(4), 5_000));
    pipeline.send(pipeline.order(OrderEventType.DELIVERED, "C-1", "O-1", day(2)));

    assertThat(pipeline.signals("C-1")).singleElement().satisfies(s -> {
      assertThat(s.getSignal()).isEqualTo("OVER_DELIVERED");
      assertThat(s.getPoints()).isNegative();
      assertThat(s.getDescription()).isEqualTo("Order O-1 arrived 2 days before the promised date");
    });
  }

  @Test
  void shouldRaiseNothingForADeliveryOnThePromisedDay() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, day(3), 5_000));
    pipeline.send(pipeline.order(OrderEventType.DELIVERED, "C-1", "O-1", day(3).minus(Duration.ofHours(2))));
    pipeline.passTime(day(10));

    assertThat(pipeline.signals("C-1")).isEmpty();
  }

  @Test
  void shouldAcceptADeliveryThatArrivesOutOfOrderWithinTheGrace() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, day(3), 5_000));
    pipeline.passTime(day(3).plus(Duration.ofMinutes(90)));
    pipeline.send(pipeline.order(OrderEventType.DELIVERED, "C-1", "O-1", day(3).minus(Duration.ofHours(1))));
    pipeline.passTime(day(5));

    assertThat(pipeline.signals("C-1")).isEmpty();
  }

  @Test
  void shouldForgetACancelledOrder() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, day(3), 5_000));
    pipeline.send(pipeline.order(OrderEventType.CANCELLED, "C-1", "O-1", day(1)));
    pipeline.passTime(day(10));

    assertThat(pipeline.signals("C-1")).isEmpty();
  }

  @Test
  void shouldEscalateRepeatedBrokenPromisesIntoAnAlertWithReasons() {
    for (int i = 0; i < 3; i++) {
      String order = "O-" + i;
      pipeline.send(pipeline.placed("C-1", order, day(i * 3), day(i * 3 + 2), 10_000));
      pipeline.send(pipeline.order(OrderEventType.DELIVERED, "C-1", order, day(i * 3 + 5)));
    }

    List<Signal> broken = pipeline.signals("C-1", "BROKEN_PROMISE");
    assertThat(broken).extracting(Signal::getPoints).isSorted();
    assertThat(broken.get(1).getPoints()).isGreaterThan(broken.get(0).getPoints());
    assertThat(broken.get(2).getDescription()).endsWith("this has happened 3 times in 30 days");
    List<ChurnAlert> alerts = pipeline.alerts();
    assertThat(alerts).isNotEmpty();
    ChurnAlert alert = alerts.get(alerts.size() - 1);
    assertThat(alert.getCustomerId()).isEqualTo("C-1");
    assertThat(alert.getLevel()).isIn(RiskLevel.HIGH, RiskLevel.CRITICAL);
    assertThat(alert.getReasons()).isNotEmpty();
    assertThat(alert.getReasons().get(0).getSignal()).isEqualTo("BROKEN_PROMISE");
    assertThat(alert.getReasons()).extracting(r -> r.getPoints()).isSortedAccordingTo((a, b) -> b - a);
    assertThat(alert.getRecommendedActions()).anyMatch(a -> a.contains("firm new delivery date"));
    assertThat(alert.getValueAtRiskCents()).isEqualTo(30_000);
  }

  @Test
  void shouldRaiseOverchargedWhenTheChargeExceedsTheQuote() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, day(3), 5_200, 4_800L, List.of(new OrderLine("SKU-1", 5_200L, 1))));

    assertThat(pipeline.signals("C-1", "OVERCHARGED")).singleElement().satisfies(s ->
        assertThat(s.getDescription()).isEqualTo("Order O-1 was charged $52.00, $4.00 (8%) more than the $48.00 quoted"));
  }

  @Test
  void shouldNotRaiseOverchargedWhenTheChargeMatchesTheQuote() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, day(3), 4_800, 4_800L, List.of(new OrderLine("SKU-1", 4_800L, 1))));

    assertThat(pipeline.signals("C-1")).isEmpty();
  }
}

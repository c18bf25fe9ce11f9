package org.churnsignals.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.schema.RiskLevel;
import org.churnsignals.schema.Signal;
import org.churnsignals.sources.Signals;
import org.churnsignals.state.DailySpend;
import org.junit.jupiter.api.Test;

/** The default rules: a 30-day window, a 10-day half-life, 0.5 escalation, levels at 25/50/75 with a margin of 5. */
class RiskModelTest {

  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);

  /** A 10-day half-life keeps the arithmetic of these examples round. */
  private final RiskModel model = new RiskModel(ChurnConfig.defaults().with("risk.half-life", "10d").risk());
  private int nextEvent = 1;

  private static Instant day(double n) {
    return T0.plus(Duration.ofMillis(Math.round(n * DAY.toMillis())));
  }

  private Signal signal(String name, int points, Instant at) {
    return Signals.of("C-1", name, points, at, "Order O-1 arrived 2 days after the promised date", "E-" + nextEvent++);
  }

  // --- fading and the window -----------------------------------------------------------------------

  @Test
  void aSignalCountsItsFullPointsWhenRaised() {
    assertThat(model.fadedPoints(signal("BROKEN_PROMISE", 20, T0), T0)).isEqualTo(20.0);
  }

  @Test
  void aSignalFadesByHalfEveryHalfLife() {
    Signal broken = signal("BROKEN_PROMISE", 20, T0);

    assertThat(model.fadedPoints(broken, day(10))).isCloseTo(10.0, within(1e-9));
    assertThat(model.fadedPoints(broken, day(20))).isCloseTo(5.0, within(1e-9));
  }

  @Test
  void aSignalCountsNothingOnceItLeavesTheWindow() {
    Signal broken = signal("BROKEN_PROMISE", 20, T0);

    assertThat(model.fadedPoints(broken, day(30).minusMillis(1))).isPositive();
    assertThat(model.fadedPoints(broken, day(30))).isZero();
  }

  @Test
  void signalsOlderThanTheWindowAreDropped() {
    Signal old = signal("BROKEN_PROMISE", 20, T0);
    Signal recent = signal("OVERCHARGED", 10, day(20));

    assertThat(model.inWindow(List.of(old, recent), day(31))).containsExactly(recent);
  }

  @Test
  void onlyTheNewestSignalsAreKeptBeyondTheConfiguredNumber() {
    RiskModel smallWindow = new RiskModel(ChurnConfig.defaults().with("risk.max-signals-per-customer", "2").risk());
    Signal first = signal("BROKEN_PROMISE", 20, T0);
    Signal second = signal("BROKEN_PROMISE", 20, day(1));
    Signal third = signal("BROKEN_PROMISE", 20, day(2));

    assertThat(smallWindow.inWindow(List.of(first, second, third), day(3))).containsExactly(second, third);
  }

  @Test
  void aFadedSignalCountsLessInTheScore() {
    List<Signal> signals = List.of(signal("BROKEN_PROMISE", 40, T0));

    assertThat(model.assess(signals, T0, null).score()).isEqualTo(40);
    assertThat(model.assess(signals, day(10), null).score()).isEqualTo(20);
    assertThat(model.assess(signals, day(30), null).score()).isZero();
  }

  // --- repetition ----------------------------------------------------------------------------------

  @Test
  void repetitionNeverTakesOneSignalAboveTheCap() {
    List<Signal> earlier = List.of(signal("OVERCHARGED", 30, T0), signal("OVERCHARGED", 30, day(1)),
        signal("OVERCHARGED", 30, day(2)));

    assertThat(model.escalate(signal("OVERCHARGED", 30, day(3)), earlier).getPoints()).isEqualTo(50);
  }

  @Test
  void theFirstSignalOfAKindCountsAsRaised() {
    Signal first = signal("BROKEN_PROMISE", 20, T0);

    assertThat(model.escalate(first, List.of(signal("OVERCHARGED", 10, T0)))).isEqualTo(first);
  }

  @Test
  void eachRepeatOfAKindInsideTheWindowWeighsMore() {
    List<Signal> window = new ArrayList<>();
    window.add(signal("BROKEN_PROMISE", 20, T0));

    Signal second = model.escalate(signal("BROKEN_PROMISE", 20, day(3)), window);
    window.add(second);
    Signal third = model.escalate(signal("BROKEN_PROMISE", 20, day(6)), window);

    assertThat(second.getPoints()).isEqualTo(30);
    assertThat(second.getDescription()).endsWith("; this has happened 2 times in 30 days");
    assertThat(third.getPoints()).isEqualTo(40);
    assertThat(third.getDescription()).endsWith("; this has happened 3 times in 30 days");
  }

  @Test
  void creditsAreNeverEscalated() {
    Signal credit = signal("OVER_DELIVERED", -5, day(1));

    assertThat(model.escalate(credit, List.of(signal("OVER_DELIVERED", -5, T0)))).isEqualTo(credit);
  }

  // --- the score -----------------------------------------------------------------------------------

  @Test
  void theScoreSumsTheSignalsAndShowsEachKindsContribution() {
    List<Signal> signals = List.of(
        signal("BROKEN_PROMISE", 20, T0), signal("BROKEN_PROMISE", 30, T0), signal("OVERCHARGED", 12, T0));

    RiskModel.Assessment assessment = model.assess(signals, T0, null);

    assertThat(assessment.score()).isEqualTo(62);
    assertThat(assessment.contributions()).containsOnly(
        entry("BROKEN_PROMISE", 50), entry("OVERCHARGED", 12));
  }

  @Test
  void creditsNeverTakeTheScoreBelowZero() {
    assertThat(model.assess(List.of(signal("SERVICE_RECOVERY", -10, T0)), T0, null).score()).isZero();
    assertThat(model.assess(List.of(signal("OVERCHARGED", 5, T0), signal("SERVICE_RECOVERY", -10, T0)), T0, null).score())
        .isZero();
  }

  @Test
  void creditsLowerAScoreAboveZero() {
    List<Signal> signals = List.of(signal("BROKEN_PROMISE", 35, T0), signal("SERVICE_RECOVERY", -10, T0));

    assertThat(model.assess(signals, T0, null).score()).isEqualTo(25);
  }

  @Test
  void theScoreNeverExceedsOneHundred() {
    List<Signal> signals = List.of(
        signal("BROKEN_PROMISE", 60, T0), signal("OVERCHARGED", 30, T0), signal("DIFFICULT_RETURN", 25, T0));

    assertThat(model.assess(signals, T0, null).score()).isEqualTo(100);
  }

  // --- levels --------------------------------------------------------------------------------------

  @Test
  void levelsFollowTheThresholds() {
    assertThat(model.level(0, null)).isEqualTo(RiskLevel.LOW);
    assertThat(model.level(24, null)).isEqualTo(RiskLevel.LOW);
    assertThat(model.level(25, null)).isEqualTo(RiskLevel.ELEVATED);
    assertThat(model.level(49, null)).isEqualTo(RiskLevel.ELEVATED);
    assertThat(model.level(50, null)).isEqualTo(RiskLevel.HIGH);
    assertThat(model.level(74, null)).isEqualTo(RiskLevel.HIGH);
    assertThat(model.level(75, null)).isEqualTo(RiskLevel.CRITICAL);
    assertThat(model.level(100, null)).isEqualTo(RiskLevel.CRITICAL);
  }

  @Test
  void aRisingScoreTakesTheLevelAsSoonAsItReachesTheThreshold() {
    assertThat(model.level(50, RiskLevel.ELEVATED)).isEqualTo(RiskLevel.HIGH);
    assertThat(model.level(75, RiskLevel.LOW)).isEqualTo(RiskLevel.CRITICAL);
  }

  @Test
  void aScoreHoveringAtAThresholdDoesNotFlap() {
    RiskLevel level = model.level(50, RiskLevel.ELEVATED);
    for (int score : new int[] {49, 51, 47, 50, 46, 52}) {
      level = model.level(score, level);
      assertThat(level).as("level at score %d", score).isEqualTo(RiskLevel.HIGH);
    }
  }

  @Test
  void aLevelIsLeftOnceTheScoreFallsMoreThanTheMarginBelowItsThreshold() {
    assertThat(model.level(44, RiskLevel.HIGH)).isEqualTo(RiskLevel.ELEVATED);
    assertThat(model.level(69, RiskLevel.CRITICAL)).isEqualTo(RiskLevel.HIGH);
  }

  @Test
  void aScoreThatFallsFarLandsOnTheLevelItFallsTo() {
    assertThat(model.level(10, RiskLevel.CRITICAL)).isEqualTo(RiskLevel.LOW);
  }

  // --- value at risk -------------------------------------------------------------------------------

  @Test
  void valueAtRiskIsWhatTheCustomerSpentInTheTrailingNinetyDays() {
    List<DailySpend> spend = List.of();
    spend = model.addSpend(spend, T0, 10_000, T0);
    spend = model.addSpend(spend, day(50), 20_000, day(50));
    spend = model.addSpend(spend, day(60), 5_000, day(60));

    assertThat(model.valueAtRisk(spend, day(89))).isEqualTo(35_000);
    assertThat(model.valueAtRisk(spend, day(95))).isEqualTo(25_000);
    assertThat(model.valueAtRisk(spend, day(155))).isZero();
  }

  @Test
  void ordersOnOneDayAreKeptAsOneDaysSpend() {
    List<DailySpend> spend = model.addSpend(List.of(), T0, 10_000, T0);
    spend = model.addSpend(spend, T0.plus(Duration.ofHours(5)), 2_500, T0.plus(Duration.ofHours(5)));

    assertThat(spend).singleElement().satisfies(d -> assertThat(d.getCents()).isEqualTo(12_500));
  }

  @Test
  void spendOutsideTheWindowIsDroppedWhenMoreIsAdded() {
    List<DailySpend> spend = model.addSpend(List.of(), T0, 10_000, T0);

    spend = model.addSpend(spend, day(100), 3_000, day(100));

    assertThat(spend).extracting(DailySpend::getCents).containsExactly(3_000L);
  }
}

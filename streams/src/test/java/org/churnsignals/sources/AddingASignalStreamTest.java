package org.churnsignals.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.churnsignals.topology.PipelineFixture.T0;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.TestInputTopic;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.schema.AlertReason;
import org.churnsignals.schema.OrderEventType;
import org.churnsignals.schema.RiskLevel;
import org.churnsignals.schema.Signal;
import org.churnsignals.topology.PipelineFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The extension story: a new stream of customer experience is one SignalSource and the schema of its
 * events, registered beside the standard ones. {@link SatisfactionSurveySignals} and {@link SurveyResponse}
 * live in test code only; risk, alerts and the signals topic take the new signal name unchanged.
 */
class AddingASignalStreamTest {

  private final PipelineFixture pipeline =
      new PipelineFixture(ChurnConfig.defaults(), SignalSources.standardAnd(new SatisfactionSurveySignals()));
  private final TestInputTopic<String, SurveyResponse> surveys =
      pipeline.input(SatisfactionSurveySignals.TOPIC, SurveyResponse.class);

  @AfterEach
  void close() {
    pipeline.close();
  }

  private void answered(String customer, String survey, Instant at, int score, String comment) {
    surveys.pipeInput(customer, new SurveyResponse(pipeline.eventId(), at, customer, survey, score, comment), at);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void shouldRaisePoorSatisfactionForAScoreOfOneOrTwoOutOfFive(int score) {
    answered("C-1", "S-1", T0, score, "Nobody called me back");

    assertThat(pipeline.signals("C-1")).singleElement().satisfies(s -> {
      assertThat(s.getSignal()).isEqualTo("POOR_SATISFACTION");
      assertThat(s.getDescription())
          .isEqualTo("The customer rated their experience " + score + " out of 5 in survey S-1: \"Nobody called me back\"");
      assertThat(s.getOccurredAt()).isEqualTo(T0);
      assertThat(s.getEvidenceEventIds()).containsExactly("E-1");
    });
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 5})
  void shouldRaiseNothingForASatisfiedCustomer(int score) {
    answered("C-1", "S-1", T0, score, null);

    assertThat(pipeline.signals("C-1")).isEmpty();
    assertThat(pipeline.deadLetters()).isEmpty();
  }

  @Test
  void shouldScoreTheNewSignalAndEscalateItsRepeatsLikeAnyOther() {
    answered("C-1", "S-1", T0, 1, null);
    answered("C-1", "S-2", T0, 2, null);

    assertThat(pipeline.signals("C-1", "POOR_SATISFACTION")).extracting(Signal::getPoints).containsExactly(30, 30);
    assertThat(pipeline.state("C-1").getRisk().getContributions()).containsEntry("POOR_SATISFACTION", 60);
    assertThat(pipeline.state("C-1").getRisk().getLevel()).isEqualTo(RiskLevel.HIGH);
  }

  @Test
  void shouldAlertWithTheNewSignalAsAReasonAndItsRecommendedAction() {
    answered("C-1", "S-1", T0, 1, null);
    answered("C-1", "S-2", T0, 2, null);

    assertThat(pipeline.alerts()).singleElement().satisfies(alert -> {
      assertThat(alert.getLevel()).isEqualTo(RiskLevel.HIGH);
      assertThat(alert.getReasons()).extracting(AlertReason::getSignal).containsOnly("POOR_SATISFACTION");
      assertThat(alert.getRecommendedActions()).containsExactly(SatisfactionSurveySignals.ACTION);
    });
  }

  @Test
  void shouldCombineTheNewSignalWithTheStandardOnes() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, T0.plus(Duration.ofDays(2)), 5_000));
    pipeline.send(pipeline.order(OrderEventType.DELIVERED, "C-1", "O-1", T0.plus(Duration.ofDays(6))));
    answered("C-1", "S-1", T0.plus(Duration.ofDays(6)), 1, null);

    assertThat(pipeline.signals("C-1")).extracting(Signal::getSignal).containsExactly("BROKEN_PROMISE", "POOR_SATISFACTION");
    assertThat(pipeline.alerts()).singleElement().satisfies(alert -> assertThat(alert.getRecommendedActions())
        .contains(SatisfactionSurveySignals.ACTION, "Apologise, give a firm new delivery date and send a delivery update."));
  }

  @Test
  void shouldDeadLetterASurveyAnswerTheNewSourceFindsUnusable() {
    answered("C-1", "S-1", T0, 7, null);

    assertThat(pipeline.signals("C-1")).isEmpty();
    assertThat(pipeline.deadLetters()).singleElement().satisfies(letter -> {
      assertThat(new String(letter.headers().lastHeader("dead-letter.source-topic").value(), StandardCharsets.UTF_8))
          .isEqualTo("surveys");
      assertThat(new String(letter.headers().lastHeader("dead-letter.error").value(), StandardCharsets.UTF_8))
          .isEqualTo("field 'score' must be between 1 and 5, got 7");
    });
  }
}

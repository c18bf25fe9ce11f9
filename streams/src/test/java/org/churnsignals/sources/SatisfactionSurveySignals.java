package org.churnsignals.sources;

import java.util.List;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.churnsignals.schema.Signal;

/**
 * A source a deployment could add on its own: satisfaction surveys, where a customer who rates their
 * experience 1 or 2 out of 5 is telling us they may leave. It uses only the public framework.
 */
public final class SatisfactionSurveySignals implements SignalSource {

  public static final String POOR_SATISFACTION = "POOR_SATISFACTION";
  public static final String TOPIC = "surveys";
  public static final String ACTION = "Call the customer to hear what disappointed them, and put it right.";

  @Override
  public List<SignalKind> kinds() {
    return List.of(new SignalKind(POOR_SATISFACTION, ACTION));
  }

  @Override
  public KStream<String, Signal> signals(SourceContext context) {
    return context
        .customerEvents("surveys", context.topic(TOPIC), SurveyResponse.class, SurveyResponse::getCustomerId, SatisfactionSurveySignals::problem)
        .filter((customerId, answer) -> answer.getScore() <= 2, Named.as("poor-survey-answers"))
        .mapValues(SatisfactionSurveySignals::poorSatisfaction, Named.as("poor-satisfaction"));
  }

  private static Signal poorSatisfaction(SurveyResponse answer) {
    String comment = answer.getComment() == null || answer.getComment().isBlank() ? "" : ": \"" + answer.getComment() + "\"";
    return Signals.of(answer.getCustomerId(), POOR_SATISFACTION, answer.getScore() == 1 ? 30 : 20, answer.getOccurredAt(),
        "The customer rated their experience " + answer.getScore() + " out of 5 in survey " + answer.getSurveyId() + comment,
        answer.getEventId());
  }

  static EventCheck.Problem problem(SurveyResponse answer) {
    if (answer.getScore() < 1 || answer.getScore() > 5) {
      return EventCheck.Problem.invalid("score", answer.getScore(), "must be between 1 and 5");
    }
    return null;
  }
}

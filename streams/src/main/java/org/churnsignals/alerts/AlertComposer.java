package org.churnsignals.alerts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.churnsignals.schema.AlertReason;
import org.churnsignals.schema.ChurnAlert;
import org.churnsignals.schema.CustomerRisk;
import org.churnsignals.schema.RiskLevel;
import org.churnsignals.schema.Signal;
import org.churnsignals.scoring.RiskModel;
import org.churnsignals.sources.SignalKind;

/**
 * Words an alert for a retention agent: the reasons strongest first with their evidence, and the actions
 * that fit those reasons.
 */
public final class AlertComposer {

  static final int MAX_REASONS = 5;
  static final String SENIOR_CALL = "Have a senior person call the customer: several things have gone wrong.";
  static final String DEFAULT_ACTION = "Review the customer's recent experience and get in touch.";
  /** How many distinct failures make a senior person's call worth it. */
  private static final int SEVERAL_FAILURES = 3;

  private final RiskModel model;
  private final Map<String, SignalKind> kinds;

  public AlertComposer(RiskModel model, Map<String, SignalKind> kinds) {
    this.model = model;
    this.kinds = kinds;
  }

  private record Weighed(Signal signal, double points) {}

  /** The signals that raise the customer's risk at {@code now}, strongest first, as they count now. */
  public List<AlertReason> reasons(List<Signal> signals, Instant now) {
    return signals.stream()
        .map(s -> new Weighed(s, model.fadedPoints(s, now)))
        .filter(w -> w.points() >= 0.5)
        .sorted(Comparator.comparingDouble(Weighed::points).reversed()
            .thenComparing(w -> w.signal().getOccurredAt(), Comparator.reverseOrder()))
        .limit(MAX_REASONS)
        .map(w -> AlertReason.newBuilder()
            .setSignal(w.signal().getSignal())
            .setPoints((int) Math.round(w.points()))
            .setDescription(w.signal().getDescription())
            .setEvidenceEventIds(new ArrayList<>(w.signal().getEvidenceEventIds()))
            .build())
        .toList();
  }

  public List<String> actions(List<AlertReason> reasons) {
    Set<String> actions = new LinkedHashSet<>();
    if (reasons.size() >= SEVERAL_FAILURES) {
      actions.add(SENIOR_CALL);
    }
    for (AlertReason reason : reasons) {
      SignalKind kind = kinds.get(reason.getSignal());
      actions.add(kind == null ? DEFAULT_ACTION : kind.recommendedAction());
    }
    return new ArrayList<>(actions);
  }

  public ChurnAlert alert(CustomerRisk risk, RiskLevel level, List<Signal> signals, Instant raisedAt, String triggeringEventId) {
    List<AlertReason> reasons = reasons(signals, raisedAt);
    return ChurnAlert.newBuilder()
        .setAlertId(alertId(risk.getCustomerId(), level, raisedAt, triggeringEventId))
        .setCustomerId(risk.getCustomerId())
        .setLevel(level)
        .setScore(risk.getScore())
        .setRaisedAt(raisedAt)
        .setReasons(reasons)
        .setRecommendedActions(actions(reasons))
        .setValueAtRiskCents(risk.getValueAtRiskCents())
        .build();
  }

  /** The same customer, level, time and triggering event always give the same id: retries and replays agree. */
  static String alertId(String customerId, RiskLevel level, Instant raisedAt, String triggeringEventId) {
    String name = customerId + "|" + level + "|" + raisedAt.toEpochMilli() + "|" + triggeringEventId;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}

package org.churnsignals.http;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.churnsignals.schema.RiskLevel;

/**
 * What a retention agent can ask about customers and alerts. One implementation answers from this
 * instance's own state stores; another routes each question to the instance that owns the data.
 */
public interface RetentionView {

  /** The customer's risk now, with its reasons, recent signals and trend; empty for a customer never seen. */
  Optional<CustomerProfile> customer(String customerId);

  /** Customers at or above {@code minLevel}, highest score first. */
  List<AtRiskCustomer> atRisk(RiskLevel minLevel, int limit);

  /** Alerts raised at or after {@code since}, newest first; {@code minLevel} null means every level. */
  List<AlertView> alerts(Instant since, RiskLevel minLevel, int limit);

  record Reason(String signal, int points, String description, List<String> evidenceEventIds) {}

  record SignalView(String signal, int points, Instant occurredAt, String description, List<String> evidenceEventIds) {}

  record ScorePoint(Instant at, int score) {}

  record CustomerProfile(
      String customerId,
      int score,
      RiskLevel level,
      Map<String, Integer> contributions,
      long valueAtRiskCents,
      Instant updatedAt,
      List<Reason> reasons,
      List<String> recommendedActions,
      List<SignalView> recentSignals,
      List<ScorePoint> trend) {}

  record AtRiskCustomer(
      String customerId, int score, RiskLevel level, long valueAtRiskCents, Instant updatedAt, String strongestReason) {}

  record AlertView(
      String alertId,
      String customerId,
      RiskLevel level,
      int score,
      Instant raisedAt,
      List<Reason> reasons,
      List<String> recommendedActions,
      long valueAtRiskCents) {}
}

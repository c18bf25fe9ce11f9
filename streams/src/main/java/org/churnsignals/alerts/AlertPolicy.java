package org.churnsignals.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.churnsignals.schema.RiskLevel;

/**
 * When a customer's risk deserves a retention agent's attention: on entering HIGH or CRITICAL, again on
 * escalating from HIGH to CRITICAL, and never twice at one level inside the cool-down. An alert at
 * CRITICAL also covers HIGH for its cool-down: the agent already knows, and a lower alert is no news.
 */
public final class AlertPolicy {

  private final Duration cooldown;

  public AlertPolicy(Duration cooldown) {
    this.cooldown = cooldown;
  }

  /** The level to alert at, if the move from {@code before} to {@code after} warrants an alert. */
  public Optional<RiskLevel> alertFor(RiskLevel before, RiskLevel after, Map<String, Long> lastAlertAt, Instant now) {
    if (after.ordinal() < RiskLevel.HIGH.ordinal() || (before != null && after.ordinal() <= before.ordinal())) {
      return Optional.empty();
    }
    boolean alertedAtOrAbove = lastAlertAt.entrySet().stream().anyMatch(last ->
        RiskLevel.valueOf(last.getKey()).compareTo(after) >= 0 && now.toEpochMilli() - last.getValue() < cooldown.toMillis());
    return alertedAtOrAbove ? Optional.empty() : Optional.of(after);
  }
}

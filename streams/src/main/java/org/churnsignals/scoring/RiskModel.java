package org.churnsignals.scoring;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.schema.RiskLevel;
import org.churnsignals.schema.Signal;
import org.churnsignals.sources.Phrases;
import org.churnsignals.state.DailySpend;

/**
 * Turns a customer's recent signals into a score and a level. Pure: no Kafka, no clock of its own.
 *
 * <p>A signal counts with the points it was raised with, fading by half every half-life and gone once it
 * leaves the window. The n-th signal of a kind inside the window is raised with 1 + (n-1) x escalation
 * times its points, because a second breach hurts more than the first. Credits lower the score, never
 * below zero. Levels follow thresholds, and a score must fall a hysteresis margin below a level's
 * threshold to leave it, so a score hovering at a threshold does not flap.
 */
public final class RiskModel {

  public record Assessment(int score, RiskLevel level, Map<String, Integer> contributions) {}

  private final ChurnConfig.RiskRules rules;

  public RiskModel(ChurnConfig.RiskRules rules) {
    this.rules = rules;
  }

  public ChurnConfig.RiskRules rules() {
    return rules;
  }

  /** The signal as it counts for this customer: repeated kinds inside the window weigh more. */
  public Signal escalate(Signal signal, List<Signal> window) {
    if (signal.getPoints() <= 0) {
      return signal;
    }
    int earlier = 0;
    for (Signal s : window) {
      if (s.getSignal().equals(signal.getSignal()) && s.getPoints() > 0) {
        earlier++;
      }
    }
    if (earlier == 0 || rules.repeatEscalation() == 0) {
      return signal;
    }
    int nth = earlier + 1;
    int points = (int) Math.min(rules.maxPointsPerSignal(),
        Math.max(signal.getPoints(), Math.round(signal.getPoints() * (1 + rules.repeatEscalation() * earlier))));
    return Signal.newBuilder(signal)
        .setPoints(points)
        .setDescription(signal.getDescription() + "; this has happened " + nth + " times in "
            + Phrases.span(rules.window()))
        .build();
  }

  /** Signals still inside the window at {@code now}, oldest first, at most the configured number. */
  public List<Signal> inWindow(List<Signal> signals, Instant now) {
    Instant oldest = now.minus(rules.window());
    List<Signal> kept = new ArrayList<>(signals.size());
    for (Signal s : signals) {
      if (s.getOccurredAt().isAfter(oldest)) {
        kept.add(s);
      }
    }
    int excess = kept.size() - rules.maxSignalsPerCustomer();
    return excess > 0 ? new ArrayList<>(kept.subList(excess, kept.size())) : kept;
  }

  /** What a signal counts for at {@code now}. */
  public double fadedPoints(Signal signal, Instant now) {
    Duration age = Duration.between(signal.getOccurredAt(), now);
    if (age.isNegative()) {
      age = Duration.ZERO;
    }
    if (age.compareTo(rules.window()) >= 0) {
      return 0;
    }
    return signal.getPoints() * Math.pow(0.5, (double) age.toMillis() / rules.halfLife().toMillis());
  }

  public Assessment assess(List<Signal> signals, Instant now, RiskLevel previous) {
    Map<String, Double> byName = new TreeMap<>();
    double total = 0;
    for (Signal s : signals) {
      double points = fadedPoints(s, now);
      if (points != 0) {
        byName.merge(s.getSignal(), points, Double::sum);
        total += points;
      }
    }
    Map<String, Integer> contributions = new TreeMap<>();
    byName.forEach((name, points) -> {
      int rounded = (int) Math.round(points);
      if (rounded != 0) {
        contributions.put(name, rounded);
      }
    });
    int score = (int) Math.max(0, Math.min(100, Math.round(total)));
    return new Assessment(score, level(score, previous), contributions);
  }

  public RiskLevel level(int score, RiskLevel previous) {
    RiskLevel raw = rawLevel(score);
    if (previous == null || raw.ordinal() >= previous.ordinal()) {
      return raw;
    }
    // Falling: a level is left only once the score is a hysteresis margin below its threshold.
    RiskLevel sticky = rawLevel(score + rules.hysteresis());
    return sticky.ordinal() < previous.ordinal() ? sticky : previous;
  }

  private RiskLevel rawLevel(int score) {
    if (score >= rules.critical()) {
      return RiskLevel.CRITICAL;
    }
    if (score >= rules.high()) {
      return RiskLevel.HIGH;
    }
    if (score >= rules.elevated()) {
      return RiskLevel.ELEVATED;
    }
    return RiskLevel.LOW;
  }

  /**
   * When fading alone takes the customer below their level: the score halves every half-life, so it
   * reaches the level's threshold less the hysteresis after half-life x log2(score / that). Looking only
   * then, rather than daily, keeps a backlog of months cheap.
   */
  public Instant whenLevelMayFall(List<Signal> signals, Instant now, RiskLevel level) {
    Instant never = now.plus(rules.window());
    // The rounded score must come under the threshold less the hysteresis: the sum under that less a half.
    double target = threshold(level) - rules.hysteresis() - 0.5;
    if (level == RiskLevel.LOW || target <= 0) {
      return never;
    }
    double score = 0;
    for (Signal s : signals) {
      score += fadedPoints(s, now);
    }
    if (score <= target) {
      return now.plus(Duration.ofMinutes(1));
    }
    // Every signal fades by the same factor, so the sum does too, until a signal leaves the window.
    long waitMs = (long) Math.ceil(rules.halfLife().toMillis() * (Math.log(score / target) / Math.log(2)));
    return now.plus(Duration.ofMillis(waitMs).plus(Duration.ofMinutes(1)));
  }

  private int threshold(RiskLevel level) {
    return switch (level) {
      case CRITICAL -> rules.critical();
      case HIGH -> rules.high();
      case ELEVATED -> rules.elevated();
      case LOW -> 0;
    };
  }

  /** Adds an order to the day it was placed and drops days outside the value window. */
  public List<DailySpend> addSpend(List<DailySpend> spend, Instant at, long cents, Instant now) {
    int day = (int) LocalDate.ofInstant(at, ZoneOffset.UTC).toEpochDay();
    List<DailySpend> updated = new ArrayList<>(spendInWindow(spend, now));
    for (DailySpend d : updated) {
      if (d.getEpochDay() == day) {
        d.setCents(d.getCents() + cents);
        return updated;
      }
    }
    updated.add(new DailySpend(day, cents));
    updated.sort((a, b) -> Integer.compare(a.getEpochDay(), b.getEpochDay()));
    return updated;
  }

  public List<DailySpend> spendInWindow(List<DailySpend> spend, Instant now) {
    long firstDay = LocalDate.ofInstant(now.minus(rules.valueWindow()), ZoneOffset.UTC).toEpochDay();
    List<DailySpend> kept = new ArrayList<>(spend.size());
    for (DailySpend d : spend) {
      if (d.getEpochDay() > firstDay) {
        kept.add(d);
      }
    }
    return kept;
  }

  public long valueAtRisk(List<DailySpend> spend, Instant now) {
    long total = 0;
    for (DailySpend d : spendInWindow(spend, now)) {
      total += d.getCents();
    }
    return total;
  }
}

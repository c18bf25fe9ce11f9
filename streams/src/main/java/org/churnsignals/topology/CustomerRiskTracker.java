package org.churnsignals.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.churnsignals.alerts.AlertComposer;
import org.churnsignals.alerts.AlertPolicy;
import org.churnsignals.http.ChurnMetrics;
import org.churnsignals.schema.ChurnAlert;
import org.churnsignals.schema.CustomerRisk;
import org.churnsignals.schema.RiskLevel;
import org.churnsignals.schema.Signal;
import org.churnsignals.scoring.RiskModel;
import org.churnsignals.sources.DeadlineIndex;
import org.churnsignals.sources.PassingTime;
import org.churnsignals.sources.SignalKind;
import org.churnsignals.state.CustomerRiskState;
import org.churnsignals.state.ScorePoint;

/**
 * One risk per customer: every signal and order of the customer lands here, the risk model scores them,
 * the alert policy decides whether a retention agent must act. A customer's risk is looked at again when
 * fading may take it below its level and when a signal leaves the window, so the published risk and the
 * level gauges follow fading without a daily pass over every customer.
 */
final class CustomerRiskTracker implements Processor<String, CustomerActivity, String, RiskOutput> {

  private static final Duration ALERT_HISTORY = Duration.ofDays(30);
  private static final int TREND_POINTS = 30;

  private final RiskModel model;
  private final AlertPolicy policy;
  private final AlertComposer composer;
  private final Map<String, SignalKind> kinds;
  private final ChurnMetrics metrics;
  private final Duration wallClockInterval;
  private final PassingTime passingTime = new PassingTime();
  private final Map<RiskLevel, long[]> tallied = new HashMap<>();
  private ProcessorContext<String, RiskOutput> context;
  private KeyValueStore<String, CustomerRiskState> customers;
  private KeyValueStore<Bytes, Long> atRisk;
  private KeyValueStore<Bytes, ChurnAlert> alerts;
  private DeadlineIndex reviews;

  CustomerRiskTracker(RiskModel model, AlertPolicy policy, AlertComposer composer, Map<String, SignalKind> kinds,
      ChurnMetrics metrics, Duration wallClockInterval) {
    this.model = model;
    this.policy = policy;
    this.composer = composer;
    this.kinds = kinds;
    this.metrics = metrics;
    this.wallClockInterval = wallClockInterval;
  }

  @Override
  public void init(ProcessorContext<String, RiskOutput> context) {
    this.context = context;
    customers = context.getStateStore(RiskStores.CUSTOMERS);
    atRisk = context.getStateStore(RiskStores.AT_RISK);
    alerts = context.getStateStore(RiskStores.ALERTS);
    KeyValueStore<Bytes, byte[]> reviewStore = context.getStateStore(RiskStores.REVIEWS);
    reviews = new DeadlineIndex(reviewStore);
    countCustomersForGauges();
    passingTime.watch(context, wallClockInterval, now -> reviews.passDue(now, this::review));
  }

  @Override
  public void process(Record<String, CustomerActivity> record) {
    passingTime.recordSeen(context.currentStreamTimeMs(), context.currentSystemTimeMs());
    String customerId = record.key();
    Instant at = Instant.ofEpochMilli(record.timestamp());
    CustomerRiskState state = customers.get(customerId);
    boolean isNew = state == null;
    // A signal may come after a later event of the customer's (a deadline is passed after the record that moved
    // time past it; price drops come through repartition topics): the risk is then assessed as of that later event.
    Instant now = isNew || at.isAfter(state.getRisk().getUpdatedAt()) ? at : state.getRisk().getUpdatedAt();
    if (isNew) {
      state = firstSight(customerId, now);
    }
    List<Signal> window = model.inWindow(state.getSignals(), now);
    String trigger = null;
    if (record.value() instanceof CustomerActivity.SignalRaised raised) {
      Signal signal = raised.signal();
      SignalKind kind = kinds.get(signal.getSignal());
      boolean nothingToRecoverFrom = window.stream().noneMatch(s -> s.getPoints() > 0);
      if (kind == null || !kind.recovery() || !nothingToRecoverFrom) {
        Signal counted = model.escalate(signal, window);
        window.add(counted);
        window = model.inWindow(window, now);
        metrics.signalRaised(counted.getSignal());
        context.forward(new Record<>(customerId, new RiskOutput.Accepted(counted), record.timestamp()));
        List<String> evidence = counted.getEvidenceEventIds();
        trigger = evidence.isEmpty() ? counted.getSignal() : evidence.get(evidence.size() - 1);
      }
    } else if (record.value() instanceof CustomerActivity.OrderPlaced order) {
      state.setSpend(model.addSpend(state.getSpend(), at, order.totalCents(), now));
    }
    state.setSignals(window);
    reassess(state, now, trigger, isNew);
  }

  private void reassess(CustomerRiskState state, Instant now, String trigger, boolean isNew) {
    CustomerRisk before = state.getRisk();
    state.setSpend(model.spendInWindow(state.getSpend(), now));
    long valueAtRisk = model.valueAtRisk(state.getSpend(), now);
    RiskModel.Assessment assessment = model.assess(state.getSignals(), now, before.getLevel());
    CustomerRisk after = CustomerRisk.newBuilder()
        .setCustomerId(state.getCustomerId())
        .setScore(assessment.score())
        .setLevel(assessment.level())
        .setContributions(assessment.contributions())
        .setValueAtRiskCents(valueAtRisk)
        .setUpdatedAt(now)
        .build();
    boolean changed = isNew || before.getScore() != after.getScore() || before.getLevel() != after.getLevel()
        || before.getValueAtRiskCents() != after.getValueAtRiskCents()
        || !before.getContributions().equals(after.getContributions());
    if (changed) {
      reindex(isNew ? null : before, after);
      if (isNew || before.getScore() != after.getScore()) {
        addTrendPoint(state, now, after.getScore());
      }
      state.setRisk(after);
      context.forward(new Record<>(state.getCustomerId(), new RiskOutput.RiskChanged(after), now.toEpochMilli()));
    }
    if (trigger != null) {
      Map<String, Long> lastAlertAt = new HashMap<>(state.getLastAlertAt());
      RiskLevel previous = isNew ? RiskLevel.LOW : before.getLevel();
      policy.alertFor(previous, after.getLevel(), lastAlertAt, now).ifPresent(level -> {
        ChurnAlert alert = composer.alert(state.getRisk(), level, state.getSignals(), now, trigger);
        lastAlertAt.put(level.name(), now.toEpochMilli());
        state.setLastAlertAt(lastAlertAt);
        keepAlert(alert);
        metrics.alertRaised(level);
        context.forward(new Record<>(state.getCustomerId(), new RiskOutput.AlertRaised(alert), now.toEpochMilli()));
      });
    }
    scheduleReview(state, now);
    customers.put(state.getCustomerId(), state);
  }

  /**
   * Fading and leaving the window only lower a score, so a review never raises an alert. Each review
   * schedules the next one; one already due is taken in the same pass, so a quiet customer's risk
   * catches up with now at once.
   */
  private void review(DeadlineIndex.Due due) {
    CustomerRiskState state = customers.get(due.id());
    if (state == null || state.getNextReviewAt() != due.at()) {
      return;
    }
    state.setNextReviewAt(0);
    Instant at = Instant.ofEpochMilli(due.at());
    state.setSignals(model.inWindow(state.getSignals(), at));
    reassess(state, at, null, false);
  }


  private void scheduleReview(CustomerRiskState state, Instant now) {
    long next = 0;
    if (!state.getSignals().isEmpty()) {
      long oldestLeaves = state.getSignals().stream()
          .mapToLong(s -> s.getOccurredAt().plus(model.rules().window()).toEpochMilli()).min().orElseThrow();
      next = Math.min(oldestLeaves,
          model.whenLevelMayFall(state.getSignals(), now, state.getRisk().getLevel()).toEpochMilli());
    }
    if (next == state.getNextReviewAt()) {
      return;
    }
    if (state.getNextReviewAt() != 0) {
      reviews.cancel(state.getNextReviewAt(), state.getCustomerId());
    }
    if (next != 0) {
      reviews.schedule(next, state.getCustomerId());
    }
    state.setNextReviewAt(next);
  }

  private void reindex(CustomerRisk before, CustomerRisk after) {
    if (before != null && before.getLevel() != RiskLevel.LOW) {
      atRisk.delete(RiskStores.atRiskKey(before.getLevel(), before.getScore(), before.getCustomerId()));
    }
    if (after.getLevel() != RiskLevel.LOW) {
      atRisk.put(RiskStores.atRiskKey(after.getLevel(), after.getScore(), after.getCustomerId()), after.getValueAtRiskCents());
    }
    if (before != null) {
      tally(before.getLevel(), -1, -before.getValueAtRiskCents());
    }
    tally(after.getLevel(), 1, after.getValueAtRiskCents());
  }

  /** This task's share of the level gauges, so it can take it back when the task moves elsewhere. */
  private void tally(RiskLevel level, long customers, long valueCents) {
    long[] counts = tallied.computeIfAbsent(level, l -> new long[2]);
    counts[0] += customers;
    counts[1] += valueCents;
    metrics.customersChanged(level, customers, valueCents);
  }

  private void keepAlert(ChurnAlert alert) {
    long raisedAt = alert.getRaisedAt().toEpochMilli();
    alerts.put(RiskStores.alertKey(raisedAt, alert.getAlertId()), alert);
    List<Bytes> expired = new ArrayList<>();
    try (KeyValueIterator<Bytes, ChurnAlert> it =
        alerts.range(RiskStores.alertTimeBound(0), RiskStores.alertTimeBound(raisedAt - ALERT_HISTORY.toMillis()))) {
      it.forEachRemaining(entry -> expired.add(entry.key));
    }
    expired.forEach(alerts::delete);
  }

  private static void addTrendPoint(CustomerRiskState state, Instant at, int score) {
    List<ScorePoint> trend = new ArrayList<>(state.getTrend());
    trend.add(new ScorePoint(at.toEpochMilli(), score));
    state.setTrend(trend.size() > TREND_POINTS ? new ArrayList<>(trend.subList(trend.size() - TREND_POINTS, trend.size())) : trend);
  }

  private static CustomerRiskState firstSight(String customerId, Instant now) {
    CustomerRisk nothingYet = CustomerRisk.newBuilder()
        .setCustomerId(customerId)
        .setScore(0)
        .setLevel(RiskLevel.LOW)
        .setContributions(new HashMap<>())
        .setValueAtRiskCents(0)
        .setUpdatedAt(now)
        .build();
    return CustomerRiskState.newBuilder().setCustomerId(customerId).setRisk(nothingYet).build();
  }

  /**
   * The level gauges start from this task's stores: the at-risk index is small; LOW customers are counted
   * from the store's estimate and their value is not summed.
   */
  private void countCustomersForGauges() {
    long atRiskCustomers = 0;
    try (KeyValueIterator<Bytes, Long> it = atRisk.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, Long> entry = it.next();
        tally(RiskStores.levelOfAtRiskKey(entry.key), 1, entry.value);
        atRiskCustomers++;
      }
    }
    tally(RiskLevel.LOW, Math.max(0, customers.approximateNumEntries() - atRiskCustomers), 0);
  }

  @Override
  public void close() {
    tallied.forEach((level, counts) -> metrics.customersChanged(level, -counts[0], -counts[1]));
    tallied.clear();
  }
}

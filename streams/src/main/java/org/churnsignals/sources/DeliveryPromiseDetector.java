package org.churnsignals.sources;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.http.ChurnMetrics;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.Signal;
import org.churnsignals.state.OrderPromise;

/**
 * Follows each order's delivery promise: early deliveries earn credit, late ones and promises that pass
 * with no delivery are broken promises. A delay the customer was told of before the original promise
 * passed weighs less than a silent one; a charge above the quote is an overcharge.
 */
final class DeliveryPromiseDetector extends SignalDetector<OrderEvent> {

  private static final Duration DAY = Duration.ofDays(1);
  /** An order broken by its deadline is kept this long for its late delivery, then forgotten. */
  private static final Duration KEEP_BROKEN = Duration.ofDays(30);

  private final ChurnConfig.DeliveryRules rules;
  private final ChurnConfig.OverchargeRules overcharge;
  private final ChurnMetrics metrics;
  private final Phrases phrases;
  private KeyValueStore<String, OrderPromise> promises;

  DeliveryPromiseDetector(ChurnConfig config, ChurnMetrics metrics) {
    super(OrderSignals.DEADLINES_STORE, config.wallClockInterval());
    this.rules = config.delivery();
    this.overcharge = config.overcharge();
    this.metrics = metrics;
    this.phrases = new Phrases(config.display());
  }

  @Override
  protected void openStores(ProcessorContext<String, Signal> context) {
    promises = context.getStateStore(OrderSignals.PROMISES_STORE);
  }

  @Override
  protected void onEvent(String customerId, OrderEvent order) {
    switch (order.getType()) {
      case PLACED -> placed(order);
      case DELAY_NOTIFIED -> delayNotified(order);
      case DELIVERED -> delivered(order);
      case CANCELLED -> cancelled(order);
    }
  }

  private void placed(OrderEvent order) {
    Long quoted = order.getQuotedCents();
    long total = order.getTotalCents();
    if (quoted != null && total > quoted) {
      raiseOvercharge(order, total, quoted);
    }
    OrderPromise previous = promises.get(order.getOrderId());
    if (previous != null) {
      deadlines.cancel(previous.getDeadline(), order.getOrderId());
    }
    long promisedBy = order.getPromisedBy().toEpochMilli();
    OrderPromise promise = OrderPromise.newBuilder()
        .setCustomerId(order.getCustomerId())
        .setOrderId(order.getOrderId())
        .setPlacedEventId(order.getEventId())
        .setOriginalPromisedBy(promisedBy)
        .setPromisedBy(promisedBy)
        .setDeadline(promisedBy + rules.grace().toMillis())
        .build();
    track(promise);
  }

  private void delayNotified(OrderEvent order) {
    long revised = order.getPromisedBy().toEpochMilli();
    OrderPromise promise = promises.get(order.getOrderId());
    if (promise == null) {
      // The order predates the pipeline: the revised date is the only promise we know.
      metrics.unmatchedEvent("orders");
      track(OrderPromise.newBuilder()
          .setCustomerId(order.getCustomerId())
          .setOrderId(order.getOrderId())
          .setOriginalPromisedBy(revised)
          .setPromisedBy(revised)
          .setDeadline(revised + rules.grace().toMillis())
          .build());
      return;
    }
    if (promise.getBrokenEventId() != null) {
      return;
    }
    deadlines.cancel(promise.getDeadline(), promise.getOrderId());
    boolean toldInTime = order.getOccurredAt().toEpochMilli() < promise.getOriginalPromisedBy();
    promise.setPromisedBy(revised);
    if (toldInTime) {
      promise.setDelayNotifiedEventId(order.getEventId());
    }
    long keptUntil = toldInTime ? Math.max(revised, promise.getOriginalPromisedBy()) : promise.getOriginalPromisedBy();
    promise.setDeadline(keptUntil + rules.grace().toMillis());
    track(promise);
  }

  private void delivered(OrderEvent order) {
    OrderPromise promise = promises.get(order.getOrderId());
    if (promise == null) {
      metrics.unmatchedEvent("orders");
      return;
    }
    forget(promise);
    long deliveredAt = order.getOccurredAt().toEpochMilli();
    Duration late = Duration.ofMillis(deliveredAt - promise.getOriginalPromisedBy());
    if (promise.getBrokenEventId() != null) {
      metrics.delivery("late", late);
      return;
    }
    if (late.isNegative() || late.isZero()) {
      Duration early = late.negated();
      metrics.delivery(early.compareTo(rules.earlyMin()) >= 0 ? "early" : "on_time", Duration.ZERO);
      if (early.compareTo(rules.earlyMin()) >= 0 && rules.earlyPoints() != 0) {
        raise(Signals.of(order.getCustomerId(), OrderSignals.OVER_DELIVERED, rules.earlyPoints(), order.getOccurredAt(),
            "Order " + order.getOrderId() + " arrived " + Phrases.span(early) + " before the promised date",
            promise.getPlacedEventId(), order.getEventId()));
      }
      return;
    }
    metrics.delivery("late", late);
    boolean notified = promise.getDelayNotifiedEventId() != null && deliveredAt <= promise.getPromisedBy();
    long daysLate = (late.toMillis() + DAY.toMillis() - 1) / DAY.toMillis();
    int points = (int) Math.min(rules.brokenMaxPoints(), rules.brokenPoints() + rules.brokenPointsPerDayLate() * daysLate);
    if (notified) {
      points = (int) Math.round(points * rules.notifiedFactor());
    }
    String description = "Order " + order.getOrderId() + " arrived " + Phrases.span(late) + " after the promised date"
        + (notified ? ", but the customer was told of the delay in advance" : ", with no notice");
    raise(Signals.of(order.getCustomerId(), OrderSignals.BROKEN_PROMISE, points, order.getOccurredAt(), description,
        promise.getPlacedEventId(), promise.getDelayNotifiedEventId(), order.getEventId()));
  }

  private void cancelled(OrderEvent order) {
    OrderPromise promise = promises.get(order.getOrderId());
    if (promise == null) {
      metrics.unmatchedEvent("orders");
      return;
    }
    forget(promise);
  }

  @Override
  protected void onDeadline(String orderId, long at) {
    OrderPromise promise = promises.get(orderId);
    if (promise == null || promise.getDeadline() != at) {
      return;
    }
    if (promise.getBrokenEventId() != null) {
      promises.delete(orderId);
      return;
    }
    Instant promised = Instant.ofEpochMilli(promise.getPromisedBy());
    boolean revised = promise.getDelayNotifiedEventId() != null;
    metrics.delivery("not_delivered", Duration.ofMillis(at - promise.getPromisedBy()));
    String description = "Order " + orderId + " was promised by " + phrases.dayAndTime(promised)
        + (revised ? " (a revised date the customer had been given)" : "") + " and has not been delivered";
    raise(Signals.of(promise.getCustomerId(), OrderSignals.BROKEN_PROMISE, rules.undeliveredPoints(),
        Instant.ofEpochMilli(at), description, promise.getPlacedEventId(), promise.getDelayNotifiedEventId()));
    promise.setBrokenEventId(promise.getPlacedEventId() == null ? orderId : promise.getPlacedEventId());
    promise.setDeadline(at + KEEP_BROKEN.toMillis());
    track(promise);
  }

  private void raiseOvercharge(OrderEvent order, long total, long quoted) {
    long extra = total - quoted;
    double fraction = quoted == 0 ? 1.0 : (double) extra / quoted;
    int points = (int) Math.min(overcharge.maxPoints(),
        Math.round(overcharge.points() + overcharge.pointsPerPercent() * fraction * 100));
    raise(Signals.of(order.getCustomerId(), OrderSignals.OVERCHARGED, points, order.getOccurredAt(),
        "Order " + order.getOrderId() + " was charged " + phrases.money(total) + ", " + phrases.money(extra)
            + " (" + Phrases.percent(fraction) + ") more than the " + phrases.money(quoted) + " quoted",
        order.getEventId()));
  }

  private void track(OrderPromise promise) {
    promises.put(promise.getOrderId(), promise);
    deadlines.schedule(promise.getDeadline(), promise.getOrderId());
  }

  private void forget(OrderPromise promise) {
    deadlines.cancel(promise.getDeadline(), promise.getOrderId());
    promises.delete(promise.getOrderId());
  }
}

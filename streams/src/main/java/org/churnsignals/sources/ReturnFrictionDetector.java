package org.churnsignals.sources;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.http.ChurnMetrics;
import org.churnsignals.schema.ReturnEvent;
import org.churnsignals.schema.ReturnReason;
import org.churnsignals.schema.Signal;
import org.churnsignals.state.ReturnCase;

/**
 * Follows each return from request to refund. A rejection, a fee kept, or a refund later than the return
 * policy (or none by then) makes a return difficult; a defective, wrong or misdescribed item is a product
 * failure whatever happens to the return.
 */
final class ReturnFrictionDetector extends SignalDetector<ReturnEvent> {

  private static final long DAY_MS = Duration.ofDays(1).toMillis();

  private final ChurnConfig.ReturnRules rules;
  private final ChurnMetrics metrics;
  private final Phrases phrases;
  private KeyValueStore<String, ReturnCase> cases;

  ReturnFrictionDetector(ChurnConfig config, ChurnMetrics metrics) {
    super(ReturnSignals.DEADLINES_STORE, config.wallClockInterval());
    this.rules = config.returns();
    this.metrics = metrics;
    this.phrases = new Phrases(config.display());
  }

  @Override
  protected void openStores(ProcessorContext<String, Signal> context) {
    cases = context.getStateStore(ReturnSignals.CASES_STORE);
  }

  @Override
  protected void onEvent(String customerId, ReturnEvent event) {
    switch (event.getType()) {
      case REQUESTED -> requested(event);
      case APPROVED -> {
        if (cases.get(event.getReturnId()) == null) {
          metrics.unmatchedEvent("returns");
        }
      }
      case REJECTED -> rejected(event);
      case REFUNDED -> refunded(event);
    }
  }

  private void requested(ReturnEvent event) {
    ReturnCase previous = cases.get(event.getReturnId());
    if (previous != null) {
      deadlines.cancel(previous.getPolicyDeadline(), previous.getReturnId());
    }
    long requestedAt = event.getOccurredAt().toEpochMilli();
    ReturnCase c = ReturnCase.newBuilder()
        .setCustomerId(event.getCustomerId())
        .setReturnId(event.getReturnId())
        .setOrderId(event.getOrderId())
        .setRequestedEventId(event.getEventId())
        .setRequestedAt(requestedAt)
        .setPolicyDeadline(requestedAt + rules.refundPolicy().toMillis())
        .build();
    cases.put(c.getReturnId(), c);
    deadlines.schedule(c.getPolicyDeadline(), c.getReturnId());
    Integer points = rules.defectPoints().get(event.getReason());
    if (points != null && points != 0) {
      raise(Signals.of(event.getCustomerId(), ReturnSignals.DEFECTIVE_PRODUCT, points, event.getOccurredAt(),
          "The customer is returning order " + event.getOrderId() + " because " + reasonWords(event.getReason())
              + " (return " + event.getReturnId() + ")",
          event.getEventId()));
    }
  }

  private void rejected(ReturnEvent event) {
    ReturnCase c = close(event);
    raise(Signals.of(event.getCustomerId(), ReturnSignals.DIFFICULT_RETURN, rules.rejectedPoints(), event.getOccurredAt(),
        "Return " + event.getReturnId() + " for order " + event.getOrderId() + " was rejected",
        c == null ? null : c.getRequestedEventId(), event.getEventId()));
  }

  private void refunded(ReturnEvent event) {
    ReturnCase c = close(event);
    long fee = event.getFeeCents() == null ? 0 : event.getFeeCents();
    long refund = event.getRefundCents();
    String requestedEventId = c == null ? null : c.getRequestedEventId();
    if (fee > 0) {
      double share = (double) fee / Math.max(1, refund + fee);
      int points = (int) Math.min(rules.feeMaxPoints(), Math.round(rules.feePoints() + share * 100 / 2));
      raise(Signals.of(event.getCustomerId(), ReturnSignals.DIFFICULT_RETURN, points, event.getOccurredAt(),
          "A fee of " + phrases.money(fee) + " was kept from the refund of return " + event.getReturnId()
              + " for order " + event.getOrderId() + " (" + phrases.money(refund) + " refunded)",
          requestedEventId, event.getEventId()));
    }
    if (c == null) {
      return;
    }
    Duration took = Duration.ofMillis(event.getOccurredAt().toEpochMilli() - c.getRequestedAt());
    metrics.returnProcessed(took);
    if (!c.getOverdueRaised() && event.getOccurredAt().toEpochMilli() > c.getPolicyDeadline()) {
      long daysOver = (event.getOccurredAt().toEpochMilli() - c.getPolicyDeadline() + DAY_MS - 1) / DAY_MS;
      raise(Signals.of(event.getCustomerId(), ReturnSignals.DIFFICULT_RETURN, overduePoints(daysOver), event.getOccurredAt(),
          "Return " + event.getReturnId() + " for order " + event.getOrderId() + " took " + Phrases.span(took)
              + " to refund, longer than the return policy of " + Phrases.span(rules.refundPolicy()),
          requestedEventId, event.getEventId()));
    }
  }

  @Override
  protected void onDeadline(String returnId, long at) {
    ReturnCase c = cases.get(returnId);
    if (c == null) {
      return;
    }
    if (c.getOverdueRaised() || at != c.getPolicyDeadline()) {
      cases.delete(returnId);
      return;
    }
    c.setOverdueRaised(true);
    raise(Signals.of(c.getCustomerId(), ReturnSignals.DIFFICULT_RETURN, overduePoints(0), Instant.ofEpochMilli(at),
        "Return " + returnId + " for order " + c.getOrderId() + ", requested on " + phrases.day(Instant.ofEpochMilli(
            c.getRequestedAt())) + ", has not been refunded within the " + Phrases.span(rules.refundPolicy())
            + " of the return policy",
        c.getRequestedEventId()));
    // Kept so a late refund is recognised, until the case is forgotten.
    long forgetAt = c.getRequestedAt() + rules.caseRetention().toMillis();
    c.setPolicyDeadline(forgetAt);
    cases.put(returnId, c);
    deadlines.schedule(forgetAt, returnId);
  }

  private ReturnCase close(ReturnEvent event) {
    ReturnCase c = cases.get(event.getReturnId());
    if (c == null) {
      metrics.unmatchedEvent("returns");
      return null;
    }
    deadlines.cancel(c.getPolicyDeadline(), c.getReturnId());
    cases.delete(c.getReturnId());
    return c;
  }

  private int overduePoints(long daysOver) {
    return (int) Math.min(rules.slowMaxPoints(), rules.slowPoints() + rules.slowPointsPerDay() * daysOver);
  }

  private static String reasonWords(ReturnReason reason) {
    return switch (reason) {
      case DEFECTIVE -> "the item was defective";
      case WRONG_ITEM -> "the wrong item was sent";
      case NOT_AS_DESCRIBED -> "the item was not as described";
      default -> reason.name().toLowerCase();
    };
  }
}

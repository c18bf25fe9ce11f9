package org.churnsignals.sources;

import java.util.List;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.OrderLine;
import org.churnsignals.schema.Signal;
import org.churnsignals.state.OrderPromise;

/** Orders: promises kept early, kept, broken with or without notice, and charges above the quote. */
public final class OrderSignals implements SignalSource {

  public static final String BROKEN_PROMISE = "BROKEN_PROMISE";
  public static final String OVER_DELIVERED = "OVER_DELIVERED";
  public static final String OVERCHARGED = "OVERCHARGED";
  static final String PROMISES_STORE = "order-promises";
  static final String DEADLINES_STORE = "order-deadlines";

  @Override
  public List<SignalKind> kinds() {
    return List.of(
        new SignalKind(BROKEN_PROMISE, "Apologise, give a firm new delivery date and send a delivery update."),
        new SignalKind(OVER_DELIVERED, "Nothing to fix: the order arrived early."),
        new SignalKind(OVERCHARGED, "Refund the difference between the charge and the quote."));
  }

  @Override
  public KStream<String, Signal> signals(SourceContext context) {
    context.builder().addStateStore(context.keyValueStore(PROMISES_STORE, OrderPromise.class));
    context.builder().addStateStore(DeadlineIndex.storeBuilder(DEADLINES_STORE));
    return orders(context).process(
        () -> new DeliveryPromiseDetector(context.config(), context.metrics()),
        Named.as("delivery-promise-detector"), PROMISES_STORE, DEADLINES_STORE);
  }

  /** The order stream every source shares; checked once here for what each order type must carry. */
  public static KStream<String, OrderEvent> orders(SourceContext context) {
    return context.customerEvents("orders", context.config().topics().orders(), OrderEvent.class,
        OrderEvent::getCustomerId, OrderSignals::problem);
  }

  static EventCheck.Problem problem(OrderEvent order) {
    String type = order.getType().name();
    if (order.getOrderId().isBlank()) {
      return EventCheck.Problem.missing("orderId", type);
    }
    switch (order.getType()) {
      case PLACED -> {
        if (order.getPromisedBy() == null) {
          return EventCheck.Problem.missing("promisedBy", type);
        }
        if (order.getTotalCents() == null) {
          return EventCheck.Problem.missing("totalCents", type);
        }
        if (order.getTotalCents() < 0) {
          return EventCheck.Problem.invalid("totalCents", order.getTotalCents(), "must not be negative");
        }
        if (order.getQuotedCents() != null && order.getQuotedCents() < 0) {
          return EventCheck.Problem.invalid("quotedCents", order.getQuotedCents(), "must not be negative");
        }
        for (OrderLine line : order.getLines()) {
          if (line.getUnitPriceCents() < 0) {
            return EventCheck.Problem.invalid("lines.unitPriceCents", line.getUnitPriceCents(), "must not be negative");
          }
          if (line.getQuantity() <= 0) {
            return EventCheck.Problem.invalid("lines.quantity", line.getQuantity(), "must be at least 1");
          }
        }
      }
      case DELAY_NOTIFIED -> {
        if (order.getPromisedBy() == null) {
          return EventCheck.Problem.missing("promisedBy", type);
        }
      }
      default -> { }
    }
    return null;
  }
}

package org.churnsignals.sources;

import java.util.List;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.churnsignals.schema.ReturnEvent;
import org.churnsignals.schema.Signal;
import org.churnsignals.state.ReturnCase;

/** Returns: refused, charged a fee or dragged out; and items that were defective, wrong or not as described. */
public final class ReturnSignals implements SignalSource {

  public static final String DIFFICULT_RETURN = "DIFFICULT_RETURN";
  public static final String DEFECTIVE_PRODUCT = "DEFECTIVE_PRODUCT";
  static final String CASES_STORE = "return-cases";
  static final String DEADLINES_STORE = "return-deadlines";

  @Override
  public List<SignalKind> kinds() {
    return List.of(
        new SignalKind(DIFFICULT_RETURN, "Waive the return fee and complete the refund today."),
        new SignalKind(DEFECTIVE_PRODUCT, "Replace the item at no cost and apologise."));
  }

  @Override
  public KStream<String, Signal> signals(SourceContext context) {
    context.builder().addStateStore(context.keyValueStore(CASES_STORE, ReturnCase.class));
    context.builder().addStateStore(DeadlineIndex.storeBuilder(DEADLINES_STORE));
    return context
        .customerEvents("returns", context.config().topics().returns(), ReturnEvent.class,
            ReturnEvent::getCustomerId, ReturnSignals::problem)
        .process(() -> new ReturnFrictionDetector(context.config(), context.metrics()),
            Named.as("return-friction-detector"), CASES_STORE, DEADLINES_STORE);
  }

  static EventCheck.Problem problem(ReturnEvent event) {
    String type = event.getType().name();
    if (event.getReturnId().isBlank()) {
      return EventCheck.Problem.missing("returnId", type);
    }
    switch (event.getType()) {
      case REQUESTED -> {
        if (event.getReason() == null) {
          return EventCheck.Problem.missing("reason", type);
        }
      }
      case REFUNDED -> {
        if (event.getRefundCents() == null) {
          return EventCheck.Problem.missing("refundCents", type);
        }
        if (event.getRefundCents() < 0) {
          return EventCheck.Problem.invalid("refundCents", event.getRefundCents(), "must not be negative");
        }
        if (event.getFeeCents() != null && event.getFeeCents() < 0) {
          return EventCheck.Problem.invalid("feeCents", event.getFeeCents(), "must not be negative");
        }
      }
      default -> { }
    }
    return null;
  }
}

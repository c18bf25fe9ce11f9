package org.churnsignals.sources;

import java.util.List;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.churnsignals.schema.ContactEvent;
import org.churnsignals.schema.ContactEventType;
import org.churnsignals.schema.Signal;
import org.churnsignals.state.ContactCase;

/** Contacts: slow answers, calls that ring out or are never returned, and problems solved in time. */
public final class ContactSignals implements SignalSource {

  public static final String SLOW_RESPONSE = "SLOW_RESPONSE";
  public static final String UNANSWERED_CALL = "UNANSWERED_CALL";
  public static final String SERVICE_RECOVERY = "SERVICE_RECOVERY";
  static final String CASES_STORE = "contact-cases";
  static final String DEADLINES_STORE = "contact-deadlines";

  @Override
  public List<SignalKind> kinds() {
    return List.of(
        new SignalKind(SLOW_RESPONSE, "Apologise for the slow answer and make sure the issue is now handled."),
        new SignalKind(UNANSWERED_CALL, "Call the customer back today."),
        new SignalKind(SERVICE_RECOVERY, "Nothing to fix: the customer's problem was solved in time.", true));
  }

  @Override
  public KStream<String, Signal> signals(SourceContext context) {
    context.builder().addStateStore(context.keyValueStore(CASES_STORE, ContactCase.class));
    context.builder().addStateStore(DeadlineIndex.storeBuilder(DEADLINES_STORE));
    return context
        .customerEvents("contacts", context.config().topics().contacts(), ContactEvent.class,
            ContactEvent::getCustomerId, ContactSignals::problem)
        .process(() -> new ContactResponseDetector(context.config(), context.metrics()),
            Named.as("contact-response-detector"), CASES_STORE, DEADLINES_STORE);
  }

  static EventCheck.Problem problem(ContactEvent contact) {
    if (contact.getContactId().isBlank()) {
      return EventCheck.Problem.missing("contactId", contact.getType().name());
    }
    if (contact.getResponseDueBy() != null && contact.getType() == ContactEventType.OPENED
        && contact.getResponseDueBy().isBefore(contact.getOccurredAt())) {
      return EventCheck.Problem.invalid("responseDueBy", contact.getResponseDueBy(), "must not be before occurredAt");
    }
    return null;
  }
}

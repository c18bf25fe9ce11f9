package org.churnsignals.sources;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.http.ChurnMetrics;
import org.churnsignals.schema.ContactEvent;
import org.churnsignals.schema.Signal;
import org.churnsignals.state.ContactCase;

/**
 * Follows each contact from the customer reaching out to the first answer and the resolution. An answer
 * after the due time is slow; an abandoned call not returned within the call-back window, or a contact
 * with no answer by twice its due time, is unanswered; a resolution inside the due time is a recovery.
 */
final class ContactResponseDetector extends SignalDetector<ContactEvent> {

  private static final String NO_RESPONSE = "|no-response";
  private static final String CALLBACK = "|callback";
  private static final String EXPIRY = "|expiry";
  private static final int MAX_CALLS_KEPT = 5;

  private final ChurnConfig.ContactRules rules;
  private final ChurnMetrics metrics;
  private final Phrases phrases;
  private KeyValueStore<String, ContactCase> cases;

  ContactResponseDetector(ChurnConfig config, ChurnMetrics metrics) {
    super(ContactSignals.DEADLINES_STORE, config.wallClockInterval());
    this.rules = config.contacts();
    this.metrics = metrics;
    this.phrases = new Phrases(config.display());
  }

  @Override
  protected void openStores(ProcessorContext<String, Signal> context) {
    cases = context.getStateStore(ContactSignals.CASES_STORE);
  }

  @Override
  protected void onEvent(String customerId, ContactEvent contact) {
    switch (contact.getType()) {
      case OPENED -> opened(contact);
      case RESPONDED -> responded(contact);
      case ABANDONED -> abandoned(contact);
      case RESOLVED -> resolved(contact);
    }
  }

  private void opened(ContactEvent contact) {
    ContactCase existing = cases.get(contact.getContactId());
    ContactCase c = existing != null ? existing : newCase(contact);
    if (existing != null) {
      cancelDeadlines(c);
    }
    c.setOpenedEventId(contact.getEventId());
    c.setOpenedAt(contact.getOccurredAt().toEpochMilli());
    c.setDuePromised(contact.getResponseDueBy() != null);
    c.setDueBy(dueBy(contact).toEpochMilli());
    c.setOutsideBusinessHours(outsideBusinessHours(contact.getOccurredAt()));
    metrics.contactOpened(c.getChannel(), c.getOutsideBusinessHours());
    if (!c.getAbandonedEventIds().isEmpty()) {
      // The call rang out before its opening reached us: it still has the call-back window.
      schedule(c, c.getAbandonedAt() + rules.callbackWindow().toMillis(), CALLBACK);
    } else if (c.getRespondedAt() == 0) {
      schedule(c, noResponseDeadline(c), NO_RESPONSE);
    }
    scheduleExpiry(c);
    cases.put(c.getContactId(), c);
  }

  private void responded(ContactEvent contact) {
    ContactCase c = cases.get(contact.getContactId());
    if (c == null) {
      metrics.unmatchedEvent("contacts");
      return;
    }
    boolean firstResponse = c.getRespondedAt() == 0;
    boolean callBackPending = !c.getAbandonedEventIds().isEmpty();
    if (!firstResponse && !callBackPending) {
      return;
    }
    long at = contact.getOccurredAt().toEpochMilli();
    // An answer after a deadline means the deadline passed unanswered, whether or not other traffic had
    // already moved time past it: the outcome must not depend on what else was in the partition.
    if (!c.getUnansweredRaised()) {
      long callbackBy = c.getAbandonedAt() + rules.callbackWindow().toMillis();
      long noResponseBy = noResponseDeadline(c);
      if (callBackPending && at > callbackBy) {
        raiseNotCalledBack(c, callbackBy);
      } else if (!callBackPending && firstResponse && c.getOpenedEventId() != null && at > noResponseBy) {
        raiseNoResponse(c, noResponseBy);
      }
    }
    if (firstResponse) {
      c.setRespondedAt(at);
    }
    c.setAbandonedEventIds(new ArrayList<>());
    cancelDeadlines(c);
    scheduleExpiry(c);
    cases.put(c.getContactId(), c);
    if (!firstResponse || c.getOpenedEventId() == null) {
      return;
    }
    metrics.contactResponded(c.getChannel(), Duration.ofMillis(at - c.getOpenedAt()), at <= c.getDueBy());
    // A call that rang out is judged by the call-back window, not by the due time of the first ring.
    if (at > c.getDueBy() && !c.getUnansweredRaised() && !callBackPending) {
      raiseSlowResponse(c, contact);
    }
  }

  private void abandoned(ContactEvent contact) {
    ContactCase existing = cases.get(contact.getContactId());
    ContactCase c = existing != null ? existing : newCase(contact);
    if (existing == null) {
      // A call that rang out is often the first we hear of a contact.
      c.setOpenedAt(contact.getOccurredAt().toEpochMilli());
      c.setDueBy(dueBy(contact).toEpochMilli());
      c.setOutsideBusinessHours(outsideBusinessHours(contact.getOccurredAt()));
      metrics.contactOpened(c.getChannel(), c.getOutsideBusinessHours());
    }
    List<String> calls = new ArrayList<>(c.getAbandonedEventIds());
    if (calls.size() < MAX_CALLS_KEPT) {
      calls.add(contact.getEventId());
    }
    c.setAbandonedEventIds(calls);
    c.setAbandonedAt(contact.getOccurredAt().toEpochMilli());
    cancelDeadlines(c);
    schedule(c, c.getAbandonedAt() + rules.callbackWindow().toMillis(), CALLBACK);
    scheduleExpiry(c);
    cases.put(c.getContactId(), c);
  }

  private void resolved(ContactEvent contact) {
    ContactCase c = cases.get(contact.getContactId());
    if (c == null) {
      metrics.unmatchedEvent("contacts");
      return;
    }
    cancelDeadlines(c);
    cases.delete(c.getContactId());
    boolean inTime = contact.getOccurredAt().toEpochMilli() <= c.getDueBy() && !c.getUnansweredRaised();
    if (inTime && c.getOpenedEventId() != null) {
      // The risk model keeps it only for a customer with something to recover from.
      raise(Signals.of(c.getCustomerId(), ContactSignals.SERVICE_RECOVERY, rules.recoveryPoints(), contact.getOccurredAt(),
          "The customer's " + channelWord(c) + " contact " + c.getContactId() + " was resolved within "
              + Phrases.span(Duration.ofMillis(c.getDueBy() - c.getOpenedAt()))
              + (c.getDuePromised() ? ", the time promised to the customer" : ", the expected response time"),
          c.getOpenedEventId(), contact.getEventId()));
    }
  }

  @Override
  protected void onDeadline(String id, long at) {
    int bar = id.lastIndexOf('|');
    String contactId = id.substring(0, bar);
    String kind = id.substring(bar);
    ContactCase c = cases.get(contactId);
    if (c == null) {
      return;
    }
    List<String> remaining = new ArrayList<>(c.getDeadlines());
    remaining.remove(kind + '@' + at);
    c.setDeadlines(remaining);
    switch (kind) {
      case EXPIRY -> {
        cancelDeadlines(c);
        cases.delete(contactId);
        return;
      }
      case NO_RESPONSE -> {
        if (c.getRespondedAt() == 0 && !c.getUnansweredRaised()) {
          raiseNoResponse(c, at);
        }
      }
      case CALLBACK -> {
        if (!c.getAbandonedEventIds().isEmpty() && !c.getUnansweredRaised()) {
          raiseNotCalledBack(c, at);
        }
      }
      default -> { }
    }
    cases.put(contactId, c);
  }

  private void raiseSlowResponse(ContactCase c, ContactEvent response) {
    long dueIn = Math.max(1, c.getDueBy() - c.getOpenedAt());
    long lateBy = response.getOccurredAt().toEpochMilli() - c.getDueBy();
    double severity = Math.min(1.0, (double) lateBy / dueIn);
    double points = rules.slowPoints() + (rules.slowMaxPoints() - rules.slowPoints()) * severity;
    if (c.getDuePromised()) {
      points *= rules.statedPromiseFactor();
    }
    String description = "The " + channelWord(c) + " contact " + c.getContactId() + " of " + phrases.dayAndTime(
        Instant.ofEpochMilli(c.getOpenedAt())) + " was answered " + Phrases.span(Duration.ofMillis(lateBy))
        + " after the " + (c.getDuePromised() ? "response time promised to the customer" : "expected response time")
        + afterHours(c);
    raise(Signals.of(c.getCustomerId(), ContactSignals.SLOW_RESPONSE, (int) Math.round(points), response.getOccurredAt(),
        description, c.getOpenedEventId(), response.getEventId()));
  }

  private void raiseNoResponse(ContactCase c, long at) {
    c.setUnansweredRaised(true);
    String description = "The " + channelWord(c) + " contact " + c.getContactId() + " of "
        + phrases.dayAndTime(Instant.ofEpochMilli(c.getOpenedAt())) + " has had no response for "
        + Phrases.span(Duration.ofMillis(at - c.getOpenedAt())) + ", twice the "
        + (c.getDuePromised() ? "response time promised" : "expected response time") + afterHours(c);
    raise(Signals.of(c.getCustomerId(), ContactSignals.UNANSWERED_CALL, rules.unansweredPoints(), Instant.ofEpochMilli(at),
        description, c.getOpenedEventId()));
  }

  private void raiseNotCalledBack(ContactCase c, long at) {
    c.setUnansweredRaised(true);
    int calls = c.getAbandonedEventIds().size();
    String description = (calls == 1 ? "A call" : calls + " calls") + " from the customer on "
        + phrases.dayAndTime(Instant.ofEpochMilli(c.getAbandonedAt())) + (calls == 1 ? " rang out" : ", the last of which rang out")
        + " and " + (calls == 1 ? "was" : "were") + " not returned within " + Phrases.span(rules.callbackWindow())
        + afterHours(c);
    List<String> evidence = new ArrayList<>();
    if (c.getOpenedEventId() != null) {
      evidence.add(c.getOpenedEventId());
    }
    evidence.addAll(c.getAbandonedEventIds());
    raise(Signals.of(c.getCustomerId(), ContactSignals.UNANSWERED_CALL, rules.unansweredPoints(), Instant.ofEpochMilli(at),
        description, evidence.toArray(String[]::new)));
  }

  /** A contact with no answer by twice its due time is unanswered. */
  private static long noResponseDeadline(ContactCase c) {
    return c.getOpenedAt() + 2 * (c.getDueBy() - c.getOpenedAt());
  }

  private ContactCase newCase(ContactEvent contact) {
    return ContactCase.newBuilder()
        .setCustomerId(contact.getCustomerId())
        .setContactId(contact.getContactId())
        .setChannel(contact.getChannel().name())
        .setOpenedAt(contact.getOccurredAt().toEpochMilli())
        .setDueBy(dueBy(contact).toEpochMilli())
        .build();
  }

  private Instant dueBy(ContactEvent contact) {
    return contact.getResponseDueBy() != null
        ? contact.getResponseDueBy()
        : contact.getOccurredAt().plus(rules.responseDue().get(contact.getChannel()));
  }

  boolean outsideBusinessHours(Instant at) {
    ZonedDateTime local = at.atZone(rules.businessZone());
    LocalTime time = local.toLocalTime();
    return !rules.businessDays().contains(local.getDayOfWeek()) || time.isBefore(rules.opens()) || !time.isBefore(rules.closes());
  }

  private String afterHours(ContactCase c) {
    if (!c.getOutsideBusinessHours()) {
      return "";
    }
    ZonedDateTime local = Instant.ofEpochMilli(c.getOpenedAt()).atZone(rules.businessZone());
    DayOfWeek day = local.getDayOfWeek();
    return "; the customer got in touch outside business hours (" + day.getDisplayName(TextStyle.FULL, Locale.ENGLISH)
        + " " + local.toLocalTime().withSecond(0).withNano(0) + ")";
  }

  private static String channelWord(ContactCase c) {
    return switch (c.getChannel()) {
      case "PHONE" -> "phone";
      case "EMAIL" -> "e-mail";
      case "CHAT" -> "chat";
      case "SOCIAL" -> "social media";
      default -> c.getChannel().toLowerCase(Locale.ROOT);
    };
  }

  private void schedule(ContactCase c, long at, String kind) {
    deadlines.schedule(at, c.getContactId() + kind);
    List<String> all = new ArrayList<>(c.getDeadlines());
    all.add(kind + '@' + at);
    c.setDeadlines(all);
  }

  private void scheduleExpiry(ContactCase c) {
    schedule(c, Math.max(c.getOpenedAt(), c.getAbandonedAt()) + rules.caseRetention().toMillis(), EXPIRY);
  }

  /**
   * Deadlines are stored by time; the case remembers each one's kind and time so exactly those are
   * removed (a delete of a key never written would still cost a changelog tombstone).
   */
  private void cancelDeadlines(ContactCase c) {
    for (String entry : c.getDeadlines()) {
      int at = entry.lastIndexOf('@');
      deadlines.cancel(Long.parseLong(entry.substring(at + 1)), c.getContactId() + entry.substring(0, at));
    }
    c.setDeadlines(new ArrayList<>());
  }
}

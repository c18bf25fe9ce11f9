package org.churnsignals.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.churnsignals.schema.RiskLevel;

/**
 * The business metrics, named once. Labels are low-cardinality only: stream, signal, level, channel,
 * outcome, reason; never a customer, order or sku. Prometheus names are in the comments.
 */
public final class ChurnMetrics {

  public static final String EVENTS_RECEIVED = "churn.events.received"; // churn_events_received_total{stream}
  public static final String SIGNALS_RAISED = "churn.signals.raised"; // churn_signals_raised_total{signal}
  public static final String ALERTS_RAISED = "churn.alerts.raised"; // churn_alerts_raised_total{level}
  public static final String CUSTOMERS = "churn.customers"; // churn_customers{level}
  public static final String VALUE_AT_RISK = "churn.value.at.risk.cents"; // churn_value_at_risk_cents{level}
  public static final String CONTACT_RESPONSE = "churn.contact.response"; // churn_contact_response_seconds{channel}
  public static final String CONTACT_RESPONSES = "churn.contact.responses"; // churn_contact_responses_total{channel,outcome}
  public static final String CONTACTS_OPENED = "churn.contacts.opened"; // churn_contacts_opened_total{channel}
  public static final String CONTACTS_OUTSIDE_HOURS =
      "churn.contacts.outside.business.hours"; // churn_contacts_outside_business_hours_total{channel}
  public static final String DELIVERIES = "churn.deliveries"; // churn_deliveries_total{outcome}
  public static final String DELIVERY_LATENESS = "churn.delivery.lateness"; // churn_delivery_lateness_seconds
  public static final String RETURN_PROCESSING = "churn.return.processing"; // churn_return_processing_seconds
  public static final String DEAD_LETTERS = "churn.dead.letters"; // churn_dead_letters_total{stream,reason}
  public static final String UNMATCHED_EVENTS = "churn.unmatched.events"; // churn_unmatched_events_total{stream}
  public static final String EVENT_AGE = "churn.event.age"; // churn_event_age_seconds{stream}

  /** Buckets from a minute to a month: response times, lateness and return processing all live there. */
  private static final Duration[] MINUTES_TO_DAYS = {
    Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
    Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(24),
    Duration.ofDays(2), Duration.ofDays(3), Duration.ofDays(7), Duration.ofDays(14), Duration.ofDays(30)
  };

  private final MeterRegistry registry;
  /** Meters by name and label value: looked up on every event, built once. */
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<RiskLevel, AtomicLong> customersPerLevel = new EnumMap<>(RiskLevel.class);
  private final Map<RiskLevel, AtomicLong> valueAtRiskPerLevel = new EnumMap<>(RiskLevel.class);

  public ChurnMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (RiskLevel level : RiskLevel.values()) {
      AtomicLong customers = new AtomicLong();
      AtomicLong value = new AtomicLong();
      customersPerLevel.put(level, customers);
      valueAtRiskPerLevel.put(level, value);
      Gauge.builder(CUSTOMERS, customers, AtomicLong::get)
          .description("Customers at each risk level now")
          .tag("level", level.name())
          .register(registry);
      Gauge.builder(VALUE_AT_RISK, value, AtomicLong::get)
          .description("What customers at each risk level spent in the trailing 90 days, in cents")
          .tag("level", level.name())
          .register(registry);
    }
  }

  /** For replay and tests: counts in memory, exports nothing. */
  public static ChurnMetrics inMemory() {
    return new ChurnMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void eventReceived(String stream, Duration age) {
    counter(EVENTS_RECEIVED, "Events received per input stream", "stream", stream).increment();
    timer(EVENT_AGE, "Time from an event's occurredAt to its processing", "stream", stream)
        .record(age.isNegative() ? Duration.ZERO : age);
  }

  public void signalRaised(String signal) {
    counter(SIGNALS_RAISED, "Churn signals raised per signal name", "signal", signal).increment();
  }

  public void alertRaised(RiskLevel level) {
    counter(ALERTS_RAISED, "Churn alerts raised per level", "level", level.name()).increment();
  }

  /** Adds to the level gauges; they stay exact without scanning any store. */
  public void customersChanged(RiskLevel level, long customers, long valueCents) {
    customersPerLevel.get(level).addAndGet(customers);
    valueAtRiskPerLevel.get(level).addAndGet(valueCents);
  }

  public long customersAt(RiskLevel level) {
    return customersPerLevel.get(level).get();
  }

  public void contactOpened(String channel, boolean outsideBusinessHours) {
    counter(CONTACTS_OPENED, "Contacts opened by customers per channel", "channel", channel).increment();
    if (outsideBusinessHours) {
      counter(CONTACTS_OUTSIDE_HOURS, "Contacts that arrived outside business hours", "channel", channel).increment();
    }
  }

  /** onTime: answered within the due time this contact had, promised or the channel's default. */
  public void contactResponded(String channel, Duration responseTime, boolean onTime) {
    timer(CONTACT_RESPONSE, "Time from a contact to the business's first response", "channel", channel)
        .record(responseTime);
    String outcome = onTime ? "on_time" : "late";
    counters.computeIfAbsent(CONTACT_RESPONSES + '|' + channel + '|' + outcome, key -> Counter.builder(CONTACT_RESPONSES)
        .description("First responses to contacts, on time or late against their due time")
        .tag("channel", channel)
        .tag("outcome", outcome)
        .register(registry)).increment();
  }

  /** outcome: early, on_time, late or not_delivered. */
  public void delivery(String outcome, Duration lateness) {
    counter(DELIVERIES, "Deliveries by outcome against the promise", "outcome", outcome).increment();
    if (!lateness.isNegative() && !lateness.isZero()) {
      timer(DELIVERY_LATENESS, "How late late deliveries were", null, null).record(lateness);
    }
  }

  public void returnProcessed(Duration processingTime) {
    timer(RETURN_PROCESSING, "Time from a return request to its refund", null, null).record(processingTime);
  }

  public void deadLetter(String stream, String reason) {
    counters.computeIfAbsent(DEAD_LETTERS + '|' + stream + '|' + reason, key -> Counter.builder(DEAD_LETTERS)
        .description("Records sent to the dead-letter topic")
        .tag("stream", stream)
        .tag("reason", reason)
        .register(registry)).increment();
  }

  public void unmatchedEvent(String stream) {
    counter(UNMATCHED_EVENTS, "Events for an order, contact or return never seen opened", "stream", stream)
        .increment();
  }

  private Counter counter(String name, String description, String tag, String value) {
    return counters.computeIfAbsent(name + '|' + value,
        key -> Counter.builder(name).description(description).tag(tag, value).register(registry));
  }

  private Timer timer(String name, String description, String tag, String value) {
    return timers.computeIfAbsent(name + '|' + value, key -> {
      Timer.Builder builder = Timer.builder(name).description(description).serviceLevelObjectives(MINUTES_TO_DAYS);
      if (tag != null) {
        builder.tag(tag, value);
      }
      return builder.register(registry);
    });
  }

}

package org.churnsignals.config;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Currency;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.churnsignals.schema.ContactChannel;
import org.churnsignals.schema.ReturnReason;

/**
 * The whole typed configuration, read and validated once at start. The live app, replay and tests build
 * the topology from this one object.
 */
public record ChurnConfig(
    Settings settings,
    String applicationId,
    String bootstrapServers,
    String schemaRegistryUrl,
    String processingGuarantee,
    Path stateDir,
    int streamThreads,
    int rocksDbMemoryMb,
    Duration wallClockInterval,
    Duration maxFutureSkew,
    Topics topics,
    Http http,
    Display display,
    RiskRules risk,
    DeliveryRules delivery,
    OverchargeRules overcharge,
    ContactRules contacts,
    ReturnRules returns,
    PriceRules prices) {

  public record Topics(
      String orders, String contacts, String returns, String prices,
      String alerts, String risk, String signals, String deadLetters, int partitions) {}

  public record Http(String bind, int port, String token, String applicationServer) {
    public boolean authenticated() {
      return !token.isEmpty();
    }
  }

  public record Display(Currency currency, ZoneId zone) {}

  public record RiskRules(
      Duration window, Duration halfLife, double repeatEscalation, int maxPointsPerSignal, int maxSignalsPerCustomer,
      int elevated, int high, int critical, int hysteresis, Duration cooldown, Duration valueWindow) {}

  public record DeliveryRules(
      Duration grace, int brokenPoints, int brokenPointsPerDayLate, int brokenMaxPoints, int undeliveredPoints,
      double notifiedFactor, Duration earlyMin, int earlyPoints) {}

  public record OverchargeRules(int points, double pointsPerPercent, int maxPoints) {}

  public record ContactRules(
      Map<ContactChannel, Duration> responseDue, Duration callbackWindow, int slowPoints, int slowMaxPoints,
      double statedPromiseFactor, int unansweredPoints, int recoveryPoints, Duration caseRetention,
      LocalTime opens, LocalTime closes, Set<DayOfWeek> businessDays, ZoneId businessZone) {}

  public record ReturnRules(
      Duration refundPolicy, int rejectedPoints, int feePoints, int feeMaxPoints, int slowPoints,
      int slowPointsPerDay, int slowMaxPoints, Duration caseRetention, Map<ReturnReason, Integer> defectPoints) {}

  public record PriceRules(Duration protectionWindow, double minDrop, int points, double pointsPerPercent, int maxPoints) {}

  public static ChurnConfig defaults() {
    return from(Settings.defaults());
  }

  public static ChurnConfig from(Settings s) {
    String stateDir = s.string("state.dir");
    String applicationId = s.nonBlank("application.id");
    String guarantee = s.nonBlank("processing.guarantee");
    if (!Set.of("exactly_once_v2", "at_least_once").contains(guarantee)) {
      throw s.invalid("processing.guarantee", guarantee, "must be exactly_once_v2 or at_least_once");
    }
    String registry = s.nonBlank("schema.registry.url");
    if (!registry.matches("(https?|mock)://.+")) {
      throw s.invalid("schema.registry.url", registry, "must start with http://, https:// or mock://");
    }
    String token = s.string("http.token");
    String bind = s.nonBlank("http.bind");
    int port = s.integer("http.port", 0, 65535);
    String advertised = s.string("application.server");
    if (!advertised.isEmpty() && !advertised.matches("[^:\\s]+:\\d{1,5}")) {
      throw s.invalid("application.server", advertised, "must be host:port");
    }
    int elevated = s.integer("risk.level.elevated", 1, 100);
    int high = s.integer("risk.level.high", 1, 100);
    int critical = s.integer("risk.level.critical", 1, 100);
    if (!(elevated < high && high < critical)) {
      // Any of the three may be the one changed, so each is named with where it came from.
      throw new InvalidConfigurationException("risk levels must rise from elevated to high to critical, got "
          + thresholdOf(s, "risk.level.elevated", elevated) + ", " + thresholdOf(s, "risk.level.high", high) + ", "
          + thresholdOf(s, "risk.level.critical", critical));
    }
    Currency currency;
    try {
      currency = Currency.getInstance(s.nonBlank("display.currency"));
    } catch (IllegalArgumentException e) {
      throw s.invalid("display.currency", s.string("display.currency"), "is not an ISO 4217 currency code like USD");
    }
    Map<ContactChannel, Duration> due = new EnumMap<>(ContactChannel.class);
    for (ContactChannel channel : ContactChannel.values()) {
      due.put(channel, s.duration("contacts.response-due." + channel.name().toLowerCase()));
    }
    Map<ReturnReason, Integer> defect = new EnumMap<>(ReturnReason.class);
    defect.put(ReturnReason.DEFECTIVE, s.integer("returns.defective.points", 0, 100));
    defect.put(ReturnReason.WRONG_ITEM, s.integer("returns.wrong-item.points", 0, 100));
    defect.put(ReturnReason.NOT_AS_DESCRIBED, s.integer("returns.not-as-described.points", 0, 100));
    LocalTime opens = s.timeOfDay("contacts.business-hours.open");
    LocalTime closes = s.timeOfDay("contacts.business-hours.close");
    if (!opens.isBefore(closes)) {
      throw s.invalid("contacts.business-hours.close", closes.toString(), "must be after contacts.business-hours.open");
    }
    return new ChurnConfig(
        s,
        applicationId,
        s.nonBlank("kafka.bootstrap.servers"),
        registry,
        guarantee,
        stateDir.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir"), "churn-signals", applicationId) : Path.of(stateDir),
        s.integer("num.stream.threads", 1, 64),
        s.integer("state.rocksdb-memory-mb", 16, 1_048_576),
        s.duration("deadlines.wall-clock-interval"),
        s.duration("events.max-future-skew"),
        new Topics(
            s.nonBlank("topics.orders"), s.nonBlank("topics.contacts"), s.nonBlank("topics.returns"),
            s.nonBlank("topics.prices"), s.nonBlank("topics.alerts"), s.nonBlank("topics.risk"),
            s.nonBlank("topics.signals"), s.nonBlank("topics.dead-letters"), s.integer("topics.partitions", 1, 10_000)),
        new Http(bind, port, token, advertised.isEmpty() ? bind + ":" + port : advertised),
        new Display(currency, s.zone("display.time-zone")),
        new RiskRules(
            s.duration("risk.window"), s.duration("risk.half-life"), s.decimal("risk.repeat-escalation", 0, 10),
            s.integer("risk.max-points-per-signal", 1, 100),
            s.integer("risk.max-signals-per-customer", 1, 1000), elevated, high, critical,
            s.integer("risk.level.hysteresis", 0, 50), s.duration("alerts.cooldown"), s.duration("risk.value-window")),
        new DeliveryRules(
            s.duration("delivery.grace"), s.integer("delivery.broken.points", 0, 100),
            s.integer("delivery.broken.points-per-day-late", 0, 100), s.integer("delivery.broken.max-points", 0, 100),
            s.integer("delivery.undelivered.points", 0, 100), s.decimal("delivery.notified-factor", 0, 1),
            s.duration("delivery.early.min-early"), s.integer("delivery.early.points", -100, 0)),
        new OverchargeRules(
            s.integer("overcharge.points", 0, 100), s.decimal("overcharge.points-per-percent", 0, 100),
            s.integer("overcharge.max-points", 0, 100)),
        new ContactRules(
            due, s.duration("contacts.callback-window"), s.integer("contacts.slow.points", 0, 100),
            s.integer("contacts.slow.max-points", 0, 100), s.decimal("contacts.slow.stated-promise-factor", 1, 10),
            s.integer("contacts.unanswered.points", 0, 100), s.integer("contacts.recovery.points", -100, 0),
            s.duration("contacts.case-retention"), opens, closes, s.days("contacts.business-days"),
            s.zone("contacts.business-hours.time-zone")),
        new ReturnRules(
            s.duration("returns.refund-policy"), s.integer("returns.rejected.points", 0, 100),
            s.integer("returns.fee.points", 0, 100), s.integer("returns.fee.max-points", 0, 100),
            s.integer("returns.slow.points", 0, 100), s.integer("returns.slow.points-per-day", 0, 100),
            s.integer("returns.slow.max-points", 0, 100), s.duration("returns.case-retention"), defect),
        new PriceRules(
            s.duration("prices.protection-window"), s.decimal("prices.min-drop", 0, 1), s.integer("prices.points", 0, 100),
            s.decimal("prices.points-per-percent", 0, 100), s.integer("prices.max-points", 0, 100)));
  }

  private static String thresholdOf(Settings s, String key, int value) {
    return "'" + key + "' " + value + " (from " + s.origin(key) + ")";
  }

  public ChurnConfig with(String key, String value) {
    return from(settings.with(key, value));
  }
}

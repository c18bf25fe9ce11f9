package org.churnsignals.http;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.churnsignals.schema.RiskLevel;

/** A RetentionView over lists in memory, keeping the interface's promises of filtering and order. */
final class InMemoryRetentionView implements RetentionView {

  private final Map<String, CustomerProfile> customers = new ConcurrentHashMap<>();
  private final List<AlertView> alerts = new CopyOnWriteArrayList<>();

  InMemoryRetentionView add(CustomerProfile customer) {
    customers.put(customer.customerId(), customer);
    return this;
  }

  InMemoryRetentionView add(AlertView alert) {
    alerts.add(alert);
    return this;
  }

  @Override
  public Optional<CustomerProfile> customer(String customerId) {
    return Optional.ofNullable(customers.get(customerId));
  }

  @Override
  public List<AtRiskCustomer> atRisk(RiskLevel minLevel, int limit) {
    return customers.values().stream()
        .filter(c -> c.level().compareTo(minLevel) >= 0)
        .map(c -> new AtRiskCustomer(c.customerId(), c.score(), c.level(), c.valueAtRiskCents(), c.updatedAt(),
            c.reasons().isEmpty() ? null : c.reasons().get(0).description()))
        .sorted(Comparator.comparingInt(AtRiskCustomer::score).reversed().thenComparing(AtRiskCustomer::customerId))
        .limit(limit)
        .toList();
  }

  @Override
  public List<AlertView> alerts(Instant since, RiskLevel minLevel, int limit) {
    return alerts.stream()
        .filter(a -> !a.raisedAt().isBefore(since))
        .filter(a -> minLevel == null || a.level().compareTo(minLevel) >= 0)
        .sorted(Comparator.comparing(AlertView::raisedAt).reversed().thenComparing(AlertView::alertId))
        .limit(limit)
        .toList();
  }

  /**
   * What a retention team sees on an ordinary morning: a customer with several failures (CRITICAL), one
   * with a price drop after purchase (HIGH), one sliding (ELEVATED), one fine (LOW), and their alerts, one
   * of them older than the API's default seven days.
   */
  static InMemoryRetentionView sample(Instant now) {
    Instant t = now.truncatedTo(ChronoUnit.SECONDS);
    InMemoryRetentionView view = new InMemoryRetentionView();

    Reason late = new Reason("BROKEN_PROMISE", 30,
        "Order O-1017 arrived 4 days after the promised date, with no notice", List.of("ord-1017-placed", "ord-1017-delivered"));
    Reason unanswered = new Reason("UNANSWERED_CALL", 24,
        "A call about order O-1017 rang out unanswered and was not returned within 4 hours", List.of("con-5531-abandoned"));
    Reason refund = new Reason("DIFFICULT_RETURN", 18,
        "Return R-220 was refunded 19 days after it was requested; the return policy promises 14", List.of("ret-220-requested", "ret-220-refunded"));
    Reason recovered = new Reason("SERVICE_RECOVERY", -6,
        "The chat about a missing invoice was resolved within the promised hour", List.of("con-5410-resolved"));
    List<String> seniorCall = List.of(
        "Have a senior person call the customer today: several things went wrong in a row",
        "Apologise for the late order O-1017 and confirm what was delivered",
        "Call back about the unanswered call today, before the customer calls again",
        "Check that the refund for return R-220 has reached the customer");
    view.add(new CustomerProfile("C-000042", 86, RiskLevel.CRITICAL,
        orderedMap("BROKEN_PROMISE", 30, "UNANSWERED_CALL", 24, "DIFFICULT_RETURN", 18, "SERVICE_RECOVERY", -6),
        184_250, t.minus(Duration.ofMinutes(3)),
        List.of(late, unanswered, refund, recovered), seniorCall,
        List.of(
            signal(late, t.minus(Duration.ofHours(30))),
            signal(unanswered, t.minus(Duration.ofHours(6))),
            signal(refund, t.minus(Duration.ofMinutes(3))),
            signal(recovered, t.minus(Duration.ofDays(5)))),
        List.of(
            new ScorePoint(t.minus(Duration.ofDays(6)), 12), new ScorePoint(t.minus(Duration.ofDays(5)), 6),
            new ScorePoint(t.minus(Duration.ofHours(30)), 38), new ScorePoint(t.minus(Duration.ofHours(6)), 62),
            new ScorePoint(t.minus(Duration.ofMinutes(3)), 86))));

    Reason priceDrop = new Reason("PRICE_DROP_AFTER_PURCHASE", 28,
        "The espresso grinder (SKU-8812) the customer bought for $249.00 on Tuesday went on sale for $199.00 on Wednesday",
        List.of("ord-2203-placed", "price-8812-0407"));
    Reason overcharged = new Reason("OVERCHARGED", 22,
        "Order O-2203 was charged $12.50 more than the price quoted", List.of("ord-2203-placed"));
    view.add(new CustomerProfile("C-000017", 64, RiskLevel.HIGH,
        orderedMap("PRICE_DROP_AFTER_PURCHASE", 28, "OVERCHARGED", 22), 61_990, t.minus(Duration.ofMinutes(40)),
        List.of(priceDrop, overcharged),
        List.of("Refund the $50.00 price difference on the espresso grinder", "Refund the $12.50 overcharge on order O-2203"),
        List.of(signal(priceDrop, t.minus(Duration.ofMinutes(40))), signal(overcharged, t.minus(Duration.ofHours(20)))),
        List.of(new ScorePoint(t.minus(Duration.ofHours(20)), 22), new ScorePoint(t.minus(Duration.ofMinutes(40)), 64))));

    Reason slowEmail = new Reason("SLOW_RESPONSE", 20,
        "An e-mail about a delivery address was answered 2 days after the promised one working day", List.of("con-6120-opened", "con-6120-responded"));
    view.add(new CustomerProfile("C-000108", 41, RiskLevel.ELEVATED, orderedMap("SLOW_RESPONSE", 20),
        23_400, t.minus(Duration.ofHours(2)), List.of(slowEmail),
        List.of("Apologise for the slow answer and give the customer a direct contact for next time"),
        List.of(signal(slowEmail, t.minus(Duration.ofHours(2)))),
        List.of(new ScorePoint(t.minus(Duration.ofHours(2)), 41))));

    Reason early = new Reason("OVER_DELIVERED", -5, "Order O-3301 arrived 2 days before the promised date", List.of("ord-3301-delivered"));
    view.add(new CustomerProfile("C-000230", 8, RiskLevel.LOW, orderedMap("OVER_DELIVERED", -5), 9_900,
        t.minus(Duration.ofDays(1)), List.of(early), List.of(), List.of(signal(early, t.minus(Duration.ofDays(1)))),
        List.of(new ScorePoint(t.minus(Duration.ofDays(1)), 8))));

    view.add(new AlertView("alert-42-3", "C-000042", RiskLevel.CRITICAL, 86, t.minus(Duration.ofMinutes(3)),
        List.of(late, unanswered, refund), seniorCall, 184_250));
    view.add(new AlertView("alert-17-1", "C-000017", RiskLevel.HIGH, 64, t.minus(Duration.ofMinutes(40)),
        List.of(priceDrop, overcharged), List.of("Refund the $50.00 price difference on the espresso grinder"), 61_990));
    view.add(new AlertView("alert-108-1", "C-000108", RiskLevel.ELEVATED, 41, t.minus(Duration.ofHours(2)),
        List.of(slowEmail), List.of("Apologise for the slow answer"), 23_400));
    view.add(new AlertView("alert-42-2", "C-000042", RiskLevel.HIGH, 62, t.minus(Duration.ofHours(6)),
        List.of(unanswered, late), List.of("Call back about the unanswered call today"), 184_250));
    view.add(new AlertView("alert-42-1", "C-000042", RiskLevel.ELEVATED, 38, t.minus(Duration.ofDays(10)),
        List.of(late), List.of("Apologise for the late order and give a firm new date"), 184_250));
    return view;
  }

  private static SignalView signal(Reason reason, Instant at) {
    return new SignalView(reason.signal(), reason.points(), at, reason.description(), reason.evidenceEventIds());
  }

  private static Map<String, Integer> orderedMap(Object... signalThenPoints) {
    Map<String, Integer> map = new LinkedHashMap<>();
    for (int i = 0; i < signalThenPoints.length; i += 2) {
      map.put((String) signalThenPoints[i], (Integer) signalThenPoints[i + 1]);
    }
    return map;
  }
}

package org.churnsignals.generate;

import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.toList;
import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.churnsignals.schema.ContactChannel;
import org.churnsignals.schema.ContactEvent;
import org.churnsignals.schema.ContactEventType;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.OrderEventType;
import org.churnsignals.schema.OrderLine;
import org.churnsignals.schema.PriceEvent;
import org.churnsignals.schema.ReturnEvent;
import org.churnsignals.schema.ReturnEventType;
import org.churnsignals.schema.ReturnReason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrafficGeneratorTest {

  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
  private static final Instant END = START.plus(Duration.ofDays(90));

  // One realistic history shared by the tests that only read it: 1,000 customers over 90 days.
  private static TrafficGenerator generator;
  private static List<HistoryEvent> history;

  @BeforeAll
  static void generateHistory() {
    generator = new TrafficGenerator(42, 1000, START);
    history = generator.until(END).toList();
  }

  @Test
  void theSameSeedCustomersAndStartGiveTheIdenticalHistory() {
    List<HistoryEvent> first = new TrafficGenerator(7, 200, START).until(START.plus(Duration.ofDays(60))).toList();
    List<HistoryEvent> second = new TrafficGenerator(7, 200, START).until(START.plus(Duration.ofDays(60))).toList();

    assertThat(first).isNotEmpty().isEqualTo(second);
  }

  @Test
  void aDifferentSeedGivesADifferentHistory() {
    List<HistoryEvent> first = new TrafficGenerator(7, 200, START).until(START.plus(Duration.ofDays(60))).toList();
    List<HistoryEvent> second = new TrafficGenerator(8, 200, START).until(START.plus(Duration.ofDays(60))).toList();

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void eventsComeInNonDecreasingTimeOrderWithinTheRequestedPeriod() {
    assertThat(history).extracting(HistoryEvent::occurredAt)
        .isSorted()
        .allSatisfy(at -> assertThat(at).isBetween(START, END).isNotEqualTo(END));
  }

  @Test
  void consumingTheHistoryInSlicesGivesTheSameEventsAsAllAtOnce() {
    Instant end = START.plus(Duration.ofDays(30));
    List<HistoryEvent> allAtOnce = new TrafficGenerator(3, 100, START).until(end).toList();

    TrafficGenerator live = new TrafficGenerator(3, 100, START);
    List<HistoryEvent> inSlices = new ArrayList<>();
    for (Instant now = START.plus(Duration.ofHours(7)); now.isBefore(end); now = now.plus(Duration.ofHours(7))) {
      live.until(now).forEach(inSlices::add);
    }
    live.until(end).forEach(inSlices::add);

    assertThat(inSlices).isEqualTo(allAtOnce);
  }

  @Test
  void everyEventIsKeyedByItsCustomerOrSkuAndCarriesItsOwnOccurredAt() {
    assertThat(history).allSatisfy(event -> {
      switch (event.stream()) {
        case "orders" -> assertThat(((OrderEvent) event.event()).getCustomerId()).isEqualTo(event.key());
        case "contacts" -> assertThat(((ContactEvent) event.event()).getCustomerId()).isEqualTo(event.key());
        case "returns" -> assertThat(((ReturnEvent) event.event()).getCustomerId()).isEqualTo(event.key());
        case "prices" -> assertThat(((PriceEvent) event.event()).getSku()).isEqualTo(event.key());
        default -> throw new AssertionError("unknown stream " + event.stream());
      }
      assertThat(event.event().get(event.event().getSchema().getField("occurredAt").pos()))
          .isEqualTo(event.occurredAt());
    });
    assertThat(history).extracting(HistoryEvent::stream).contains("orders", "contacts", "returns", "prices");
  }

  @Test
  void idsLookLikeTheBusinessesOwn() {
    assertThat(orders()).allSatisfy(order -> {
      assertThat(order.getCustomerId()).matches("C-\\d{6}");
      assertThat(order.getOrderId()).matches("O-\\d{6,}");
    });
    assertThat(contacts()).allSatisfy(contact -> assertThat(contact.getContactId()).matches("K-\\d{6,}"));
    assertThat(returns()).allSatisfy(step -> assertThat(step.getReturnId()).matches("R-\\d{6,}"));
    assertThat(prices()).allSatisfy(price -> assertThat(price.getSku()).matches("[A-Z]{3,4}-\\d{4}"));
  }

  @Test
  void everyEventIdIsUnique() {
    List<Object> ids = history.stream()
        .map(event -> event.event().get(event.event().getSchema().getField("eventId").pos()))
        .collect(toList());

    assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).asString().startsWith("E-"));
  }

  @Test
  void placedOrdersHaveAPromiseTwoToFiveDaysAheadAtSixInTheEveningATotalAndOneToThreeLines() {
    assertThat(orders(OrderEventType.PLACED)).isNotEmpty().allSatisfy(order -> {
      assertThat(order.getTotalCents()).isNotNull().isPositive();
      assertThat(order.getLines()).hasSizeBetween(1, 3);
      ZonedDateTime promised = order.getPromisedBy().atZone(LONDON);
      assertThat(promised.getHour()).isEqualTo(18);
      assertThat(promised.toLocalDate())
          .isBetween(localDate(order.getOccurredAt()).plusDays(2), localDate(order.getOccurredAt()).plusDays(5));
    });
  }

  @Test
  void eventsOtherThanPlacedCarryNoTotalsOrLines() {
    assertThat(orders()).filteredOn(order -> order.getType() != OrderEventType.PLACED).allSatisfy(order -> {
      assertThat(order.getTotalCents()).isNull();
      assertThat(order.getQuotedCents()).isNull();
      assertThat(order.getLines()).isEmpty();
    });
    assertThat(orders()).filteredOn(order -> order.getType() == OrderEventType.DELIVERED
            || order.getType() == OrderEventType.CANCELLED)
        .allSatisfy(order -> assertThat(order.getPromisedBy()).isNull());
  }

  @Test
  void mostOrdersCarryAQuoteAndHealthyCustomersAreChargedExactlyTheQuoteAndTheirLines() {
    List<OrderEvent> healthy = placedBy(Persona.HEALTHY);

    assertThat(healthy).allSatisfy(order -> {
      assertThat(order.getTotalCents()).isEqualTo(linesCents(order.getLines()));
      if (order.getQuotedCents() != null) {
        assertThat(order.getQuotedCents()).isEqualTo(order.getTotalCents());
      }
    });
    assertThat(share(orders(OrderEventType.PLACED), order -> order.getQuotedCents() != null)).isBetween(0.75, 0.95);
  }

  @Test
  void overchargedCustomersAreMostlyChargedAboveTheirQuoteOnceTroubleStarts() {
    List<OrderEvent> troubled = placedBy(Persona.OVERCHARGED).stream().filter(this::afterTroubleStarts).toList();

    assertThat(troubled).hasSizeGreaterThan(10);
    assertThat(share(troubled, order -> order.getQuotedCents() != null
        && order.getTotalCents() > order.getQuotedCents())).isGreaterThan(0.6);
  }

  @Test
  void delayNoticesComeBeforeTheOriginalPromiseAndPushItBack() {
    Map<String, OrderEvent> placed = placedByOrderId();
    List<OrderEvent> notices = orders(OrderEventType.DELAY_NOTIFIED);

    assertThat(notices).isNotEmpty().allSatisfy(notice -> {
      OrderEvent order = placed.get(notice.getOrderId());
      assertThat(notice.getOccurredAt()).isAfter(order.getOccurredAt()).isBefore(order.getPromisedBy());
      assertThat(notice.getPromisedBy()).isAfter(order.getPromisedBy());
    });
  }

  @Test
  void ordersAreMostlyPlacedOnWeekdaysInTheDaytime() {
    List<ZonedDateTime> placed = orders(OrderEventType.PLACED).stream()
        .map(order -> order.getOccurredAt().atZone(LONDON)).toList();
    long weekendOrders = placed.stream().filter(at -> at.getDayOfWeek().getValue() >= 6).count();
    long weekendDays = START.atZone(LONDON).toLocalDate().datesUntil(END.atZone(LONDON).toLocalDate())
        .filter(day -> day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY).count();
    double perWeekendDay = (double) weekendOrders / weekendDays;
    double perWeekday = (double) (placed.size() - weekendOrders) / (90 - weekendDays);

    assertThat(perWeekday).isGreaterThan(1.5 * perWeekendDay);
    assertThat(share(placed, at -> at.getHour() >= 7 && at.getHour() < 23)).isGreaterThan(0.95);
  }

  @Test
  void eachCustomerOrdersOneToTwoTimesAMonthOnAverage() {
    double ordersPerCustomerPerMonth = orders(OrderEventType.PLACED).size() / 1000.0 / (90 / 30.44);

    assertThat(ordersPerCustomerPerMonth).isBetween(1.0, 2.0);
  }

  @Test
  void healthyCustomersDeliveriesAreMostlyOnTimeWithTheOddLateOne() {
    List<Delivery> deliveries = deliveriesOf(Persona.HEALTHY, order -> true);

    assertThat(share(deliveries, Delivery::late)).isGreaterThan(0.0).isLessThan(0.06);
    assertThat(share(deliveries, Delivery::early)).isBetween(0.15, 0.5);
  }

  @Test
  void lateDeliveryCustomersDeliveriesAreMostlyLateOnceTroubleStartsAndOnTimeBefore() {
    List<Delivery> before = deliveriesOf(Persona.LATE_DELIVERIES, order -> !afterTroubleStarts(order));
    List<Delivery> after = deliveriesOf(Persona.LATE_DELIVERIES, this::afterTroubleStarts);

    assertThat(after).hasSizeGreaterThan(30);
    assertThat(share(after, Delivery::late)).isGreaterThan(0.6);
    assertThat(share(after, delivery -> delivery.deliveredAt() == null)).isGreaterThan(0.0);
    assertThat(share(before, Delivery::late)).isLessThan(0.1);
  }

  @Test
  void priceDropCustomersMostlySeeWhatTheyBoughtGoOnSaleBelowWhatTheyPaidWithinDays() {
    Map<String, List<PriceEvent>> changesBySku = prices().stream().collect(groupingBy(PriceEvent::getSku));
    List<OrderEvent> troubled = placedBy(Persona.PRICE_DROPS).stream()
        .filter(this::afterTroubleStarts)
        .filter(order -> order.getOccurredAt().isBefore(END.minus(Duration.ofDays(6))))
        .toList();

    Predicate<OrderEvent> saleFollowed = order -> order.getLines().stream().anyMatch(line ->
        changesBySku.getOrDefault(line.getSku(), List.of()).stream().anyMatch(change ->
            change.getOccurredAt().isAfter(order.getOccurredAt())
                && change.getOccurredAt().isBefore(order.getOccurredAt().plus(Duration.ofDays(5)))
                && change.getOldPriceCents() == line.getUnitPriceCents()
                && change.getNewPriceCents() <= line.getUnitPriceCents() * 0.92));

    assertThat(troubled).hasSizeGreaterThan(10);
    assertThat(share(troubled, saleFollowed)).isGreaterThan(0.7);
  }

  @Test
  void everyPriceChangeStartsFromThePreviousPriceOfItsSku() {
    Map<String, Long> current = new HashMap<>();

    assertThat(prices()).hasSizeGreaterThan(90).allSatisfy(change -> {
      assertThat(change.getNewPriceCents()).isNotEqualTo(change.getOldPriceCents()).isPositive();
      Long before = current.put(change.getSku(), change.getNewPriceCents());
      if (before != null) {
        assertThat(change.getOldPriceCents()).isEqualTo(before);
      }
    });
  }

  @Test
  void orderLinesArePricedAtTheSkusPriceOfTheMoment() {
    Map<String, Long> current = new HashMap<>();
    List<OrderLine> checked = new ArrayList<>();

    for (HistoryEvent event : history) {
      if (event.event() instanceof PriceEvent change) {
        current.put(change.getSku(), change.getNewPriceCents());
      } else if (event.event() instanceof OrderEvent order && order.getType() == OrderEventType.PLACED) {
        for (OrderLine line : order.getLines()) {
          assertThat(line.getUnitPriceCents()).isBetween(99L, 60_000L);
          if (current.containsKey(line.getSku())) {
            assertThat(line.getUnitPriceCents()).isEqualTo(current.get(line.getSku()));
            checked.add(line);
          }
        }
      }
    }
    assertThat(checked).hasSizeGreaterThan(100);
  }

  @Test
  void onlyOpenedContactsCarryAResponseDueByAndOnlySomeOfThem() {
    List<ContactEvent> opened = contacts(ContactEventType.OPENED);

    assertThat(contacts()).filteredOn(contact -> contact.getType() != ContactEventType.OPENED)
        .allSatisfy(contact -> assertThat(contact.getResponseDueBy()).isNull());
    assertThat(share(opened, contact -> contact.getResponseDueBy() != null)).isBetween(0.3, 0.7);
    assertThat(opened).filteredOn(contact -> contact.getResponseDueBy() != null)
        .allSatisfy(contact -> assertThat(contact.getResponseDueBy()).isAfter(contact.getOccurredAt()));
  }

  @Test
  void contactsComeThroughEveryChannelAndSomeAfterHours() {
    List<ContactEvent> opened = contacts(ContactEventType.OPENED);

    assertThat(opened).extracting(ContactEvent::getChannel).contains(ContactChannel.values());
    assertThat(share(opened, contact -> {
      int hour = contact.getOccurredAt().atZone(LONDON).getHour();
      return hour < 8 || hour >= 20;
    })).isBetween(0.02, 0.2);
  }

  @Test
  void eachContactIsOpenedFirstThenAnsweredThenResolved() {
    Map<String, List<ContactEvent>> byContact = contacts().stream().collect(groupingBy(ContactEvent::getContactId));

    assertThat(byContact.values()).allSatisfy(steps -> {
      assertThat(steps.get(0).getType()).isEqualTo(ContactEventType.OPENED);
      assertThat(steps).extracting(ContactEvent::getChannel).containsOnly(steps.get(0).getChannel());
      assertThat(steps).extracting(ContactEvent::getType).doesNotHaveDuplicates();
      List<ContactEventType> types = steps.stream().map(ContactEvent::getType).toList();
      if (types.contains(ContactEventType.RESOLVED)) {
        assertThat(types.indexOf(ContactEventType.RESPONDED)).isBetween(1, types.indexOf(ContactEventType.RESOLVED));
      }
    });
  }

  @Test
  void healthyCustomersAreAnsweredWithinTheChannelsUsualTime() {
    Map<String, List<ContactEvent>> byContact = contactsOf(Persona.HEALTHY);
    byContact.values().removeIf(steps -> steps.get(0).getOccurredAt().isAfter(END.minus(Duration.ofDays(4))));

    List<Duration> phone = responseTimes(byContact, ContactChannel.PHONE);
    List<Duration> email = responseTimes(byContact, ContactChannel.EMAIL);
    assertThat(share(phone, wait -> wait.compareTo(Duration.ofMinutes(5)) <= 0)).isGreaterThan(0.9);
    assertThat(share(email, wait -> wait.compareTo(Duration.ofHours(24)) <= 0)).isGreaterThan(0.95);
    assertThat(byContact.values()).allSatisfy(steps -> assertThat(steps).extracting(ContactEvent::getType)
        .contains(ContactEventType.RESPONDED, ContactEventType.RESOLVED));
  }

  @Test
  void unreachableCustomersCallsRingOutAndTheirMessagesGoUnansweredOnceTroubleStarts() {
    Map<String, List<ContactEvent>> troubled = contactsOf(Persona.UNREACHABLE).entrySet().stream()
        .filter(contact -> !contact.getValue().get(0).getOccurredAt()
            .isBefore(generator.troubleStartsAt(contact.getValue().get(0).getCustomerId()).orElseThrow()))
        .collect(toMap(Map.Entry::getKey, Map.Entry::getValue));
    List<List<ContactEvent>> calls = ofChannel(troubled, ContactChannel.PHONE);
    List<List<ContactEvent>> emails = ofChannel(troubled, ContactChannel.EMAIL);

    assertThat(calls).hasSizeGreaterThan(10);
    assertThat(share(calls, steps -> has(steps, ContactEventType.ABANDONED))).isGreaterThan(0.5);
    assertThat(share(calls, steps -> !has(steps, ContactEventType.RESPONDED))).isGreaterThan(0.2);
    assertThat(emails).hasSizeGreaterThan(10);
    assertThat(share(emails, steps -> responseTime(steps).map(wait -> wait.toHours() > 24).orElse(true)))
        .isGreaterThan(0.8);
  }

  @Test
  void healthyReturnsAreMostlyNoLongerNeededAndRefundedInFullWithinDays() {
    Map<String, List<ReturnEvent>> byReturn = returnsOf(Persona.HEALTHY);

    List<ReturnEvent> requests = byReturn.values().stream().map(steps -> steps.get(0)).toList();
    assertThat(requests).allSatisfy(request -> assertThat(request.getType()).isEqualTo(ReturnEventType.REQUESTED));
    assertThat(share(requests, request -> request.getReason() == ReturnReason.NO_LONGER_NEEDED)).isGreaterThan(0.7);
    assertThat(byReturn.values()).allSatisfy(steps -> {
      assertThat(steps).extracting(ReturnEvent::getType).doesNotContain(ReturnEventType.REJECTED);
      steps.stream().filter(step -> step.getType() == ReturnEventType.REFUNDED).forEach(refund -> {
        assertThat(refund.getFeeCents()).isZero();
        assertThat(Duration.between(steps.get(0).getOccurredAt(), refund.getOccurredAt())).isLessThan(Duration.ofDays(10));
      });
    });
  }

  @Test
  void hardReturnCustomersReturnsAreRejectedChargedOrDraggedOutOnceTroubleStarts() {
    TrafficGenerator soonTroubled = new TrafficGenerator(42, 1000, START,
        TrafficGenerator.Settings.DEFAULT.withHealthyFor(Duration.ofDays(10)));
    List<List<ReturnEvent>> troubled = soonTroubled.until(END)
        .map(HistoryEvent::event)
        .filter(ReturnEvent.class::isInstance).map(ReturnEvent.class::cast)
        .filter(step -> soonTroubled.personaOf(step.getCustomerId()) == Persona.HARD_RETURNS)
        .collect(groupingBy(ReturnEvent::getReturnId)).values().stream()
        .filter(steps -> !steps.get(0).getOccurredAt()
            .isBefore(soonTroubled.troubleStartsAt(steps.get(0).getCustomerId()).orElseThrow()))
        .filter(steps -> steps.get(0).getOccurredAt().isBefore(END.minus(Duration.ofDays(36))))
        .toList();

    assertThat(troubled).hasSizeGreaterThan(15).allSatisfy(steps -> assertThat(steps).anySatisfy(step -> {
      boolean rejected = step.getType() == ReturnEventType.REJECTED;
      boolean charged = step.getType() == ReturnEventType.REFUNDED && step.getFeeCents() > 0;
      boolean slow = step.getType() == ReturnEventType.REFUNDED
          && Duration.between(steps.get(0).getOccurredAt(), step.getOccurredAt()).toDays() >= 21;
      assertThat(rejected || charged || slow).isTrue();
    }));
    assertThat(share(troubled, steps -> steps.get(0).getReason() != ReturnReason.NO_LONGER_NEEDED)).isGreaterThan(0.6);
  }

  @Test
  void onlyReturnRequestsCarryAReasonAndOnlyRefundsCarryAmounts() {
    assertThat(returns()).isNotEmpty().allSatisfy(step -> {
      boolean requested = step.getType() == ReturnEventType.REQUESTED;
      boolean refunded = step.getType() == ReturnEventType.REFUNDED;
      assertThat(step.getReason() != null).isEqualTo(requested);
      assertThat(step.getRefundCents() != null).isEqualTo(refunded);
      assertThat(step.getFeeCents() != null).isEqualTo(refunded);
      if (refunded) {
        assertThat(step.getRefundCents()).isPositive();
        assertThat(step.getFeeCents()).isNotNegative();
      }
    });
  }

  @Test
  void personaSharesAreAsIntendedAndAboutOneCustomerInSixDegrades() {
    Map<Persona, Long> counts = new HashMap<>();
    for (int i = 1; i <= 1000; i++) {
      counts.merge(generator.personaOf(String.format("C-%06d", i)), 1L, Long::sum);
    }

    for (Persona persona : Persona.values()) {
      assertThat(counts.getOrDefault(persona, 0L) / 1000.0).as(persona.name()).isCloseTo(persona.share(), within(0.002));
    }
    assertThat(1 - counts.get(Persona.HEALTHY) / 1000.0).isBetween(0.15, 0.20);
  }

  @Test
  void troubleStartsAfterTheHealthyPeriodAndNeverForHealthyCustomers() {
    for (int i = 1; i <= 1000; i++) {
      String customerId = String.format("C-%06d", i);
      Optional<Instant> troubleStarts = generator.troubleStartsAt(customerId);
      if (generator.personaOf(customerId) == Persona.HEALTHY) {
        assertThat(troubleStarts).isEmpty();
      } else {
        assertThat(troubleStarts).get()
            .matches(at -> !at.isBefore(START.plus(Duration.ofDays(30))) && !at.isAfter(START.plus(Duration.ofDays(45))));
      }
    }
  }

  @Test
  void anUnknownCustomerIsRejected() {
    assertThatThrownBy(() -> generator.personaOf("C-001001")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> generator.personaOf("C-42")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> generator.personaOf("42")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aThousandCustomersOverNinetyDaysMakeTensOfThousandsOfEventsQuickly() {
    long began = System.nanoTime();
    long count = new TrafficGenerator(2026, 1000, START).until(END).count();
    long millis = (System.nanoTime() - began) / 1_000_000;

    System.out.printf("1000 customers x 90 days: %d events in %d ms%n", count, millis);
    assertThat(count).isBetween(10_000L, 60_000L);
  }

  @Test
  void pendingEventsStayBoundedHoweverLongTheGeneratorRuns() {
    TrafficGenerator live = new TrafficGenerator(5, 300, START);
    int afterTwoMonths = peakPendingWhileConsuming(live, START.plus(Duration.ofDays(60)));

    int overTwoYears = peakPendingWhileConsuming(live, START.plus(Duration.ofDays(730)));

    assertThat(afterTwoMonths).isPositive();
    assertThat(overTwoYears).isLessThan(2 * afterTwoMonths);
  }

  @Test
  void aHealthyPeriodOfZeroMakesTroubleStartAtOnce() {
    TrafficGenerator demo = new TrafficGenerator(11, 300, START,
        TrafficGenerator.Settings.DEFAULT.withHealthyFor(Duration.ZERO));

    List<String> degrading = IntStream.rangeClosed(1, 300).mapToObj(i -> String.format("C-%06d", i))
        .filter(customerId -> demo.personaOf(customerId) != Persona.HEALTHY).toList();

    assertThat(degrading).isNotEmpty()
        .allSatisfy(customerId -> assertThat(demo.troubleStartsAt(customerId)).contains(START));
  }

  @Test
  void theOrderRateSettingSetsHowOftenCustomersOrder() {
    TrafficGenerator busy = new TrafficGenerator(11, 300, START,
        TrafficGenerator.Settings.DEFAULT.withOrdersPerCustomerPerMonth(60));

    long placed = busy.until(START.plus(Duration.ofDays(7)))
        .filter(event -> event.event() instanceof OrderEvent order && order.getType() == OrderEventType.PLACED)
        .count();

    assertThat(placed / 300.0 / 7).isCloseTo(60 / 30.44, within(0.2));
  }

  // --- reading the history

  private record Delivery(OrderEvent placed, Instant deliveredAt) {
    boolean late() {
      return deliveredAt == null || deliveredAt.isAfter(placed.getPromisedBy());
    }

    boolean early() {
      return deliveredAt != null && localDate(deliveredAt).isBefore(localDate(placed.getPromisedBy()));
    }
  }

  /** Orders of the persona that were not cancelled and whose promise passed inside the history. */
  private List<Delivery> deliveriesOf(Persona persona, Predicate<OrderEvent> which) {
    Map<String, Instant> delivered = new HashMap<>();
    Set<String> cancelled = new HashSet<>();
    for (OrderEvent order : orders()) {
      if (order.getType() == OrderEventType.DELIVERED) {
        delivered.put(order.getOrderId(), order.getOccurredAt());
      } else if (order.getType() == OrderEventType.CANCELLED) {
        cancelled.add(order.getOrderId());
      }
    }
    return placedBy(persona).stream()
        .filter(which)
        .filter(order -> order.getPromisedBy().isBefore(END.minus(Duration.ofDays(6))))
        .filter(order -> !cancelled.contains(order.getOrderId()) || delivered.containsKey(order.getOrderId()))
        .map(order -> new Delivery(order, delivered.get(order.getOrderId())))
        .toList();
  }

  private boolean afterTroubleStarts(OrderEvent order) {
    return generator.troubleStartsAt(order.getCustomerId())
        .map(starts -> !order.getOccurredAt().isBefore(starts))
        .orElse(false);
  }

  private static List<Duration> responseTimes(Map<String, List<ContactEvent>> byContact, ContactChannel channel) {
    return ofChannel(byContact, channel).stream().map(TrafficGeneratorTest::responseTime)
        .flatMap(Optional::stream).toList();
  }

  private static Optional<Duration> responseTime(List<ContactEvent> steps) {
    return steps.stream().filter(step -> step.getType() == ContactEventType.RESPONDED).findFirst()
        .map(response -> Duration.between(steps.get(0).getOccurredAt(), response.getOccurredAt()));
  }

  private static List<List<ContactEvent>> ofChannel(Map<String, List<ContactEvent>> byContact, ContactChannel channel) {
    return byContact.values().stream().filter(steps -> steps.get(0).getChannel() == channel).toList();
  }

  private static boolean has(List<ContactEvent> steps, ContactEventType type) {
    return steps.stream().anyMatch(step -> step.getType() == type);
  }

  private static int peakPendingWhileConsuming(TrafficGenerator live, Instant end) {
    int peak = 0;
    var events = live.until(end).iterator();
    while (events.hasNext()) {
      events.next();
      peak = Math.max(peak, live.pendingEvents());
    }
    return peak;
  }

  private static long linesCents(List<OrderLine> lines) {
    return lines.stream().mapToLong(line -> line.getUnitPriceCents() * line.getQuantity()).sum();
  }

  private static <T> double share(List<T> items, Predicate<T> matching) {
    assertThat(items).isNotEmpty();
    return (double) items.stream().filter(matching).count() / items.size();
  }

  private static LocalDate localDate(Instant at) {
    return LocalDate.ofInstant(at, LONDON);
  }

  private static List<OrderEvent> orders() {
    return history.stream().map(HistoryEvent::event)
        .filter(OrderEvent.class::isInstance).map(OrderEvent.class::cast).toList();
  }

  private static List<OrderEvent> orders(OrderEventType type) {
    return orders().stream().filter(order -> order.getType() == type).toList();
  }

  private static List<OrderEvent> placedBy(Persona persona) {
    return orders(OrderEventType.PLACED).stream()
        .filter(order -> generator.personaOf(order.getCustomerId()) == persona).toList();
  }

  private static Map<String, OrderEvent> placedByOrderId() {
    Map<String, OrderEvent> placed = new HashMap<>();
    orders(OrderEventType.PLACED).forEach(order -> placed.put(order.getOrderId(), order));
    return placed;
  }

  private static List<ContactEvent> contacts() {
    return history.stream().map(HistoryEvent::event)
        .filter(ContactEvent.class::isInstance).map(ContactEvent.class::cast).toList();
  }

  private static List<ContactEvent> contacts(ContactEventType type) {
    return contacts().stream().filter(contact -> contact.getType() == type).toList();
  }

  private static Map<String, List<ContactEvent>> contactsOf(Persona persona) {
    return contacts().stream().filter(contact -> generator.personaOf(contact.getCustomerId()) == persona)
        .collect(groupingBy(ContactEvent::getContactId));
  }

  private static List<ReturnEvent> returns() {
    return history.stream().map(HistoryEvent::event)
        .filter(ReturnEvent.class::isInstance).map(ReturnEvent.class::cast).toList();
  }

  private static Map<String, List<ReturnEvent>> returnsOf(Persona persona) {
    return returns().stream().filter(step -> generator.personaOf(step.getCustomerId()) == persona)
        .collect(groupingBy(ReturnEvent::getReturnId));
  }

  private static List<PriceEvent> prices() {
    return history.stream().map(HistoryEvent::event)
        .filter(PriceEvent.class::isInstance).map(PriceEvent.class::cast).toList();
  }
}

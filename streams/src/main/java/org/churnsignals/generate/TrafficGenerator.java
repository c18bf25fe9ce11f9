package org.churnsignals.generate;

import static org.churnsignals.generate.HistoryEvent.CONTACTS;
import static org.churnsignals.generate.HistoryEvent.ORDERS;
import static org.churnsignals.generate.HistoryEvent.PRICES;
import static org.churnsignals.generate.HistoryEvent.RETURNS;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.avro.specific.SpecificRecord;
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

/**
 * Realistic synthetic customer histories for the four input streams: customers {@code C-000001}...
 * ordering from a catalogue of ~200 products every few weeks, mostly on weekday daytimes; their
 * deliveries, contacts with customer service and returns; and the shop's price changes. Most
 * customers are served well; about 17% have a {@link Persona} whose experience degrades some way
 * into the history, and healthy customers meet the odd isolated hiccup.
 *
 * <p>The generator is a cursor over an endless history, planned one day at a time: each planned
 * order's whole story (delivery, contacts, return, a sale on what was bought) goes into a small
 * queue of pending events, so memory depends on the number of customers, never on how long it
 * runs. The same seed, customers, start and settings give the identical sequence of events, however
 * it is consumed. Not thread-safe.
 *
 * <p>A history file: {@code new TrafficGenerator(seed, n, start, Settings.DEFAULT.withHealthyFor(
 * Duration.ofDays(days / 3))).until(start.plus(Duration.ofDays(days)))}.
 *
 * <h2>Live traffic for the demo</h2>
 *
 * Each call to {@link #until(Instant)} continues where the previous one stopped. The demo creates
 * the generator with {@code start} a few days before now and publishes {@code until(Instant.now())}
 * at once: the customers' recent history. Then, every second or so, it publishes {@code
 * until(Instant.now())} again, so each event goes out when the wall clock reaches its {@code
 * occurredAt} and promises and response times expire in real time. At the default rate of 1.5
 * orders per customer per month, 1,000 customers make only about ten events an hour; a lively demo
 * raises the rate instead of the head count, e.g. 300 customers with {@code
 * Settings.DEFAULT.withOrdersPerCustomerPerMonth(60).withHealthyFor(Duration.ofDays(1))} and {@code
 * start} three days ago: about 3,700 events of history, two or three events a minute around midday,
 * and troubled customers already visible. Traffic follows the clock in {@link Settings#zone()}: it is
 * quiet at night there.
 */
public final class TrafficGenerator {

  /**
   * How the shop behaves.
   *
   * @param zone where the shop and its customers live: days, opening hours and promises are local
   * @param healthyFor how long every customer is served well before the degrading personas' trouble
   *     starts; each one's trouble starts somewhere in the following half of that time again
   * @param ordersPerCustomerPerMonth the average order rate; each customer orders at 0.5x to 1.5x it
   */
  public record Settings(ZoneId zone, Duration healthyFor, double ordersPerCustomerPerMonth) {

    public static final Settings DEFAULT = new Settings(ZoneId.of("Europe/London"), Duration.ofDays(30), 1.5);

    public Settings {
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(healthyFor, "healthyFor");
      if (healthyFor.isNegative()) {
        throw new IllegalArgumentException("healthyFor must not be negative: " + healthyFor);
      }
      if (!(ordersPerCustomerPerMonth > 0 && ordersPerCustomerPerMonth <= 600)) {
        throw new IllegalArgumentException("ordersPerCustomerPerMonth must be in (0, 600]: " + ordersPerCustomerPerMonth);
      }
    }

    public Settings withZone(ZoneId zone) {
      return new Settings(zone, healthyFor, ordersPerCustomerPerMonth);
    }

    public Settings withHealthyFor(Duration healthyFor) {
      return new Settings(zone, healthyFor, ordersPerCustomerPerMonth);
    }

    public Settings withOrdersPerCustomerPerMonth(double ordersPerCustomerPerMonth) {
      return new Settings(zone, healthyFor, ordersPerCustomerPerMonth);
    }
  }

  private record Customer(
      String id, Persona persona, Instant troubleFrom, double ordersPerDay, ContactChannel favouriteChannel) {

    boolean troubledBy(Persona trouble, Instant at) {
      return persona == trouble && !at.isBefore(troubleFrom);
    }
  }

  private record Pending(HistoryEvent event, long sequence) {}

  private static final double DAYS_PER_MONTH = 365.25 / 12;
  // Weekdays are busier; the two factors average to 1 over a week.
  private static final double WEEKDAY_ORDERS = 1.16;
  private static final double WEEKEND_ORDERS = 0.6;
  private static final double ENQUIRIES_PER_ORDER = 0.3;
  private static final int OPENS = 8;
  private static final int CLOSES = 20;

  private static final Weighted<Integer> ORDER_HOURS = byHour(
      0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 1, 2, 4, 4, 4, 4, 5, 4, 4, 4, 4, 5, 5, 5, 5, 2, 1);
  private static final Weighted<Integer> CONTACT_HOURS = byHour(
      0, 0, 0, 0, 0, 0, 0.3, 0.6, 3, 3, 3, 3, 4, 4, 3, 3, 3, 3, 2.5, 2.5, 1, 0.8, 0.5, 0.2);
  private static final Weighted<Integer> LINES_PER_ORDER = Weighted.of(1, 55.0).or(2, 30.0).or(3, 15.0);
  private static final Weighted<Integer> QUANTITY = Weighted.of(1, 85.0).or(2, 12.0).or(3, 3.0);
  private static final Weighted<Integer> DAYS_EARLY = Weighted.of(0, 70.0).or(1, 25.0).or(2, 5.0);
  private static final Weighted<ContactChannel> CHANNELS = Weighted.of(ContactChannel.PHONE, 30.0)
      .or(ContactChannel.EMAIL, 35.0).or(ContactChannel.CHAT, 25.0).or(ContactChannel.SOCIAL, 10.0);
  private static final Weighted<ReturnReason> EVERYDAY_REASONS = Weighted.of(ReturnReason.NO_LONGER_NEEDED, 80.0)
      .or(ReturnReason.OTHER, 10.0).or(ReturnReason.DEFECTIVE, 5.0)
      .or(ReturnReason.NOT_AS_DESCRIBED, 3.0).or(ReturnReason.WRONG_ITEM, 2.0);
  private static final Weighted<ReturnReason> PROBLEM_REASONS = Weighted.of(ReturnReason.DEFECTIVE, 40.0)
      .or(ReturnReason.WRONG_ITEM, 30.0).or(ReturnReason.NOT_AS_DESCRIBED, 15.0)
      .or(ReturnReason.NO_LONGER_NEEDED, 15.0);

  private final Instant start;
  private final ZoneId zone;
  private final SplittableRandom random;
  private final Customer[] customers;
  private final Catalogue catalogue = new Catalogue();
  private final PriorityQueue<Pending> pending = new PriorityQueue<>(
      Comparator.comparing((Pending p) -> p.event().occurredAt()).thenComparingLong(Pending::sequence));
  private long scheduled;
  private long events;
  private long orders;
  private long contacts;
  private long returns;
  private LocalDate nextDay;
  private Instant nextDayStart;

  public TrafficGenerator(long seed, int customers, Instant start) {
    this(seed, customers, start, Settings.DEFAULT);
  }

  public TrafficGenerator(long seed, int customers, Instant start, Settings settings) {
    if (customers < 0) {
      throw new IllegalArgumentException("customers must not be negative: " + customers);
    }
    this.start = Objects.requireNonNull(start, "start");
    this.zone = settings.zone();
    this.random = new SplittableRandom(seed);
    this.customers = enrol(customers, settings);
    this.nextDay = LocalDate.ofInstant(start, zone);
    this.nextDayStart = nextDay.atStartOfDay(zone).toInstant();
  }

  /** @throws IllegalArgumentException for an id that is not one of this generator's customers */
  public Persona personaOf(String customerId) {
    return customer(customerId).persona();
  }

  /** When the customer's experience starts to degrade; empty for a healthy customer. */
  public Optional<Instant> troubleStartsAt(String customerId) {
    return Optional.ofNullable(customer(customerId).troubleFrom());
  }

  /**
   * The events from where the previous call stopped (the start, at first) to just before {@code
   * end}, in non-decreasing {@code occurredAt} order, generated lazily as the stream is consumed.
   * An event counts as consumed once the stream hands it on; the rest wait for the next call.
   */
  public Stream<HistoryEvent> until(Instant end) {
    Objects.requireNonNull(end, "end");
    Iterator<HistoryEvent> upToEnd = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return peek(end) != null;
      }

      @Override
      public HistoryEvent next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return pending.poll().event();
      }
    };
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(upToEnd, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  /** Events planned but not yet returned; bounded by the number of customers, not by time. */
  int pendingEvents() {
    return pending.size();
  }

  // Planning a day only adds events at or after its start, so once every day up to an event's
  // time is planned, nothing can come before it any more.
  private HistoryEvent peek(Instant end) {
    while (true) {
      Pending head = pending.peek();
      if (head != null && head.event().occurredAt().isBefore(nextDayStart)) {
        return head.event().occurredAt().isBefore(end) ? head.event() : null;
      }
      if (!nextDayStart.isBefore(end)) {
        return null;
      }
      planDay(nextDay);
      nextDay = nextDay.plusDays(1);
      nextDayStart = nextDay.atStartOfDay(zone).toInstant();
    }
  }

  private Customer[] enrol(int count, Settings settings) {
    Persona[] personas = new Persona[count];
    Arrays.fill(personas, Persona.HEALTHY);
    int[] shuffled = shuffledIndexes(count);
    int assigned = 0;
    for (Persona persona : Persona.values()) {
      if (persona == Persona.HEALTHY) {
        continue;
      }
      long share = Math.round(persona.share() * count);
      for (int i = 0; i < share && assigned < count; i++) {
        personas[shuffled[assigned++]] = persona;
      }
    }
    long healthySeconds = settings.healthyFor().getSeconds();
    Customer[] enrolled = new Customer[count];
    for (int i = 0; i < count; i++) {
      Instant troubleFrom = personas[i] == Persona.HEALTHY
          ? null
          : start.plusSeconds(healthySeconds + random.nextLong(healthySeconds / 2 + 1));
      double ordersPerDay = settings.ordersPerCustomerPerMonth() / DAYS_PER_MONTH * (0.5 + random.nextDouble());
      enrolled[i] = new Customer(
          numbered("C-", i + 1, 6), personas[i], troubleFrom, ordersPerDay, CHANNELS.draw(random));
    }
    return enrolled;
  }

  private int[] shuffledIndexes(int count) {
    int[] indexes = new int[count];
    for (int i = 0; i < count; i++) {
      indexes[i] = i;
    }
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = indexes[i];
      indexes[i] = indexes[j];
      indexes[j] = swap;
    }
    return indexes;
  }

  private Customer customer(String customerId) {
    Objects.requireNonNull(customerId, "customerId");
    int number = -1;
    if (customerId.startsWith("C-")) {
      try {
        number = Integer.parseInt(customerId.substring(2));
      } catch (NumberFormatException notANumber) {
        number = -1;
      }
    }
    if (number < 1 || number > customers.length || !customers[number - 1].id().equals(customerId)) {
      throw new IllegalArgumentException("not a generated customer: " + customerId);
    }
    return customers[number - 1];
  }

  private void planDay(LocalDate day) {
    catalogue.forgetBefore(nextDayStart);
    planPriceReview(day);
    boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
    double dayFactor = weekend ? WEEKEND_ORDERS : WEEKDAY_ORDERS;
    for (Customer customer : customers) {
      for (int toPlace = poisson(customer.ordersPerDay() * dayFactor); toPlace > 0; toPlace--) {
        Instant placedAt = at(day, ORDER_HOURS.draw(random), random.nextInt(60), random.nextInt(60));
        if (!placedAt.isBefore(start)) {
          planOrder(customer, placedAt);
        }
      }
      // Questions about products, accounts or delivery options, with no order behind them.
      if (random.nextDouble() < customer.ordersPerDay() * ENQUIRIES_PER_ORDER) {
        Instant asks = contactTime(nextDayStart, 0);
        if (!asks.isBefore(start)) {
          planContact(customer, asks, 0);
        }
      }
    }
  }

  /** A few small rises and cuts across the catalogue each morning. */
  private void planPriceReview(LocalDate day) {
    int changes = 1 + random.nextInt(5);
    for (int i = 0; i < changes; i++) {
      int product = random.nextInt(catalogue.size());
      Instant from = at(day, 6 + random.nextInt(4), random.nextInt(60), 0);
      boolean rise = random.nextDouble() < 0.6;
      double factor = rise ? 1 + uniform(0.02, 0.06) : 1 - uniform(0.02, 0.05);
      if (from.isBefore(start) || !from.isAfter(catalogue.lastChangeAt(product))) {
        continue;
      }
      long old = catalogue.latestPrice(product);
      long changed = Catalogue.shelfPrice(old * factor);
      if (changed != old) {
        changePrice(product, from, old, changed);
      }
    }
  }

  private void planOrder(Customer customer, Instant placedAt) {
    String orderId = numbered("O-", ++orders, 6);
    LocalDate placedOn = localDate(placedAt);
    // Bargain hunters browse the long tail, where a sale touches few other buyers.
    int[] products = basket(customer.troubledBy(Persona.PRICE_DROPS, placedAt));
    List<OrderLine> lines = new ArrayList<>(products.length);
    long linesCents = 0;
    for (int product : products) {
      OrderLine line = new OrderLine(catalogue.sku(product), catalogue.priceAt(product, placedAt), QUANTITY.draw(random));
      lines.add(line);
      linesCents += line.getUnitPriceCents() * line.getQuantity();
    }
    Long quotedCents = null;
    long totalCents = linesCents;
    if (customer.troubledBy(Persona.OVERCHARGED, placedAt) && chance(0.75)) {
      quotedCents = linesCents;
      totalCents = linesCents + surcharge(linesCents);
    } else if (chance(0.85)) {
      quotedCents = linesCents;
    }
    LocalDate promisedOn = placedOn.plusDays(2 + random.nextInt(4));
    Instant promisedBy = at(promisedOn, 18, 0, 0);
    schedule(order(customer, orderId, OrderEventType.PLACED, placedAt)
        .setPromisedBy(promisedBy).setTotalCents(totalCents).setQuotedCents(quotedCents).setLines(lines));

    if (chance(0.03)) {
      schedule(order(customer, orderId, OrderEventType.CANCELLED, placedAt.plus(hours(1, 20))));
      return;
    }

    boolean lateDeliveries = customer.troubledBy(Persona.LATE_DELIVERIES, placedAt);
    boolean late = chance(lateDeliveries ? 0.75 : 0.03);
    boolean notified = false;
    Instant deliveredAt;
    if (late) {
      LocalDate deliveredOn = promisedOn.plusDays(lateDeliveries ? 1 + random.nextInt(5) : 1);
      deliveredAt = lateDeliveries && chance(0.15) ? null : daytime(deliveredOn, 9, 18);
      notified = chance(lateDeliveries ? 0.3 : 0.4);
      if (notified) {
        Instant noticeAt = promisedBy.minus(hours(2, 30));
        if (!noticeAt.isAfter(placedAt)) {
          noticeAt = placedAt.plus(Duration.between(placedAt, promisedBy).dividedBy(2));
        }
        schedule(order(customer, orderId, OrderEventType.DELAY_NOTIFIED, noticeAt)
            .setPromisedBy(at(deliveredOn, 18, 0, 0)));
      }
      if (deliveredAt == null && chance(0.5)) {
        schedule(order(customer, orderId, OrderEventType.CANCELLED,
            daytime(promisedOn.plusDays(5 + random.nextInt(6)), 9, 18)));
      }
    } else {
      LocalDate deliveredOn = promisedOn.minusDays(DAYS_EARLY.draw(random));
      deliveredAt = daytime(deliveredOn.isAfter(placedOn) ? deliveredOn : placedOn.plusDays(1), OPENS, 18);
    }
    if (deliveredAt != null) {
      schedule(order(customer, orderId, OrderEventType.DELIVERED, deliveredAt));
    }

    double contactChance = late ? (notified ? 0.25 : 0.55) : 0.10;
    if (customer.troubledBy(Persona.UNREACHABLE, placedAt)) {
      contactChance = Math.max(contactChance, 0.7);
    }
    if (chance(contactChance)) {
      // A late parcel is chased once the promise has passed; anything else is a question on the way.
      Instant asks = late ? contactTime(promisedBy, 1) : contactTime(placedAt.plus(Duration.ofHours(1)), 3);
      planContact(customer, asks, 0);
    }
    if (deliveredAt != null && chance(customer.troubledBy(Persona.HARD_RETURNS, deliveredAt) ? 0.55 : 0.08)) {
      planReturn(customer, orderId, lines, deliveredAt);
    }
    if (customer.troubledBy(Persona.PRICE_DROPS, placedAt) && chance(0.85)) {
      planSaleAfter(products, placedAt);
    }
  }

  private int[] basket(boolean longTail) {
    int[] products = new int[LINES_PER_ORDER.draw(random)];
    for (int i = 0; i < products.length; i++) {
      int product;
      do {
        product = longTail ? catalogue.pickFromLongTail(random) : catalogue.pick(random);
      } while (contains(products, i, product));
      products[i] = product;
    }
    return products;
  }

  /** A delivery fee or a percentage nobody mentioned at checkout. */
  private long surcharge(long quotedCents) {
    return chance(0.5)
        ? 399 + 100L * random.nextInt(4)
        : Math.max(100, Math.round(quotedCents * uniform(0.05, 0.15)));
  }

  /** Puts one of the products just bought on sale a few days later, and back to its price a week or so after. */
  private void planSaleAfter(int[] products, Instant boughtAt) {
    // The least popular first: the sale is about this customer's purchase, not a shop-wide event.
    int[] leastPopularFirst = Arrays.stream(products).boxed()
        .sorted(java.util.Comparator.comparingDouble(catalogue::popularity)).mapToInt(Integer::intValue).toArray();
    for (int product : leastPopularFirst) {
      // A product with a change already planned after the purchase cannot be repriced in between.
      if (catalogue.lastChangeAt(product).isBefore(boughtAt)) {
        long listed = catalogue.latestPrice(product);
        long onSale = Catalogue.shelfPrice(listed * (1 - uniform(0.10, 0.30)));
        if (onSale >= listed) {
          continue;
        }
        Instant saleStarts = at(localDate(boughtAt).plusDays(1 + random.nextInt(4)), 6 + random.nextInt(4), 0, 0);
        Instant saleEnds = at(localDate(saleStarts).plusDays(5 + random.nextInt(8)), 6 + random.nextInt(4), 0, 0);
        changePrice(product, saleStarts, listed, onSale);
        changePrice(product, saleEnds, onSale, listed);
        return;
      }
    }
  }

  private void planReturn(Customer customer, String orderId, List<OrderLine> lines, Instant deliveredAt) {
    String returnId = numbered("R-", ++returns, 6);
    Instant requestedAt = daytime(localDate(deliveredAt).plusDays(1 + random.nextInt(14)), OPENS, 22);
    boolean hard = customer.troubledBy(Persona.HARD_RETURNS, requestedAt);
    List<OrderLine> returned = lines.size() > 1 && chance(0.7) ? List.of(lines.get(random.nextInt(lines.size()))) : lines;
    long valueCents = returned.stream().mapToLong(line -> line.getUnitPriceCents() * line.getQuantity()).sum();
    ReturnReason reason = (hard ? PROBLEM_REASONS : EVERYDAY_REASONS).draw(random);
    schedule(returnStep(customer, returnId, orderId, ReturnEventType.REQUESTED, requestedAt).setReason(reason));
    if (!hard) {
      Instant approvedAt = requestedAt.plus(hours(2, 30));
      schedule(returnStep(customer, returnId, orderId, ReturnEventType.APPROVED, approvedAt));
      schedule(returnStep(customer, returnId, orderId, ReturnEventType.REFUNDED, approvedAt.plus(hours(48, 144)))
          .setRefundCents(valueCents).setFeeCents(0L));
      return;
    }
    if (chance(0.3)) {
      Instant rejectedAt = requestedAt.plus(hours(20, 72));
      schedule(returnStep(customer, returnId, orderId, ReturnEventType.REJECTED, rejectedAt));
      if (chance(0.5)) {
        planContact(customer, contactTime(rejectedAt, 1), 0);
      }
      return;
    }
    Instant approvedAt = requestedAt.plus(hours(12, 48));
    boolean slow = chance(0.5);
    long feeCents = !slow || chance(0.4) ? Math.round(valueCents * uniform(0.10, 0.20)) : 0;
    Instant refundedAt = slow ? requestedAt.plus(Duration.ofDays(21 + random.nextInt(15))) : approvedAt.plus(hours(72, 144));
    schedule(returnStep(customer, returnId, orderId, ReturnEventType.APPROVED, approvedAt));
    schedule(returnStep(customer, returnId, orderId, ReturnEventType.REFUNDED, refundedAt)
        .setRefundCents(valueCents - feeCents).setFeeCents(feeCents));
    if (slow && chance(0.4)) {
      planContact(customer, contactTime(requestedAt.plus(Duration.ofDays(10 + random.nextInt(5))), 2), 0);
    }
  }

  private void planContact(Customer customer, Instant openedAt, int earlierAttempts) {
    String contactId = numbered("K-", ++contacts, 6);
    boolean unreachable = customer.troubledBy(Persona.UNREACHABLE, openedAt);
    ContactChannel channel = chance(0.5) ? customer.favouriteChannel() : CHANNELS.draw(random);
    boolean linesClosed = channel == ContactChannel.PHONE || channel == ContactChannel.CHAT;
    if (!unreachable && linesClosed && !inServiceHours(openedAt)) {
      // The phone and chat are closed, so the customer writes instead.
      channel = ContactChannel.EMAIL;
    }
    Instant dueBy = chance(0.5) ? openedAt.plus(promisedResponse(channel)) : null;
    schedule(contact(customer, contactId, channel, ContactEventType.OPENED, openedAt).setResponseDueBy(dueBy));
    if (unreachable) {
      answerBadly(customer, contactId, channel, openedAt, earlierAttempts);
    } else {
      answerWell(customer, contactId, channel, openedAt);
    }
  }

  private static Duration promisedResponse(ContactChannel channel) {
    return switch (channel) {
      case PHONE, CHAT -> Duration.ofMinutes(10);
      case EMAIL -> Duration.ofHours(24);
      case SOCIAL -> Duration.ofHours(4);
    };
  }

  private void answerWell(Customer customer, String contactId, ContactChannel channel, Instant openedAt) {
    Instant respondedAt = switch (channel) {
      case PHONE -> {
        if (!chance(0.05)) {
          yield openedAt.plus(seconds(20, 240));
        }
        // A busy moment: the call rings out, and an agent calls back soon after.
        Instant abandonedAt = openedAt.plus(seconds(60, 240));
        schedule(contact(customer, contactId, channel, ContactEventType.ABANDONED, abandonedAt));
        yield abandonedAt.plus(minutes(10, 40));
      }
      case CHAT -> openedAt.plus(seconds(60, 300));
      case EMAIL -> nextServiceTime(openedAt.plus(chance(0.03) ? hours(30, 50) : minutes(60, 480)));
      case SOCIAL -> openedAt.plus(minutes(15, 150));
    };
    schedule(contact(customer, contactId, channel, ContactEventType.RESPONDED, respondedAt));
    Duration toResolve = switch (channel) {
      case PHONE, CHAT -> chance(0.8) ? minutes(3, 25) : hours(20, 50);
      case EMAIL -> hours(1, 30);
      case SOCIAL -> hours(1, 20);
    };
    schedule(contact(customer, contactId, channel, ContactEventType.RESOLVED, respondedAt.plus(toResolve)));
  }

  private void answerBadly(
      Customer customer, String contactId, ContactChannel channel, Instant openedAt, int earlierAttempts) {
    Instant respondedAt = switch (channel) {
      case PHONE -> {
        if (chance(0.25)) {
          yield openedAt.plus(minutes(15, 45)); // a long wait on hold
        }
        Instant abandonedAt = openedAt.plus(seconds(60, 300));
        schedule(contact(customer, contactId, channel, ContactEventType.ABANDONED, abandonedAt));
        if (chance(0.4)) {
          yield abandonedAt.plus(hours(4, 30)); // called back, far too late
        }
        if (earlierAttempts < 2 && chance(0.5)) {
          planContact(customer, abandonedAt.plus(minutes(60, 1500)), earlierAttempts + 1);
        }
        yield null;
      }
      case EMAIL -> chance(0.35) ? null : openedAt.plus(hours(48, 144));
      case CHAT -> chance(0.3) ? null : openedAt.plus(minutes(30, 150));
      case SOCIAL -> chance(0.35) ? null : openedAt.plus(hours(24, 72));
    };
    if (respondedAt == null) {
      return;
    }
    schedule(contact(customer, contactId, channel, ContactEventType.RESPONDED, respondedAt));
    if (chance(0.6)) {
      Duration toResolve = channel == ContactChannel.PHONE || channel == ContactChannel.CHAT
          ? minutes(5, 30)
          : hours(4, 48);
      schedule(contact(customer, contactId, channel, ContactEventType.RESOLVED, respondedAt.plus(toResolve)));
    }
  }

  private void changePrice(int product, Instant from, long oldCents, long newCents) {
    catalogue.changePrice(product, from, newCents);
    schedule(PRICES, catalogue.sku(product), PriceEvent.newBuilder()
        .setEventId(nextEventId())
        .setOccurredAt(from)
        .setSku(catalogue.sku(product))
        .setOldPriceCents(oldCents)
        .setNewPriceCents(newCents)
        .build(), from);
  }

  private OrderEvent.Builder order(Customer customer, String orderId, OrderEventType type, Instant at) {
    return OrderEvent.newBuilder().setEventId(nextEventId()).setOccurredAt(at)
        .setCustomerId(customer.id()).setOrderId(orderId).setType(type);
  }

  private ContactEvent.Builder contact(
      Customer customer, String contactId, ContactChannel channel, ContactEventType type, Instant at) {
    return ContactEvent.newBuilder().setEventId(nextEventId()).setOccurredAt(at)
        .setCustomerId(customer.id()).setContactId(contactId).setChannel(channel).setType(type);
  }

  private ReturnEvent.Builder returnStep(
      Customer customer, String returnId, String orderId, ReturnEventType type, Instant at) {
    return ReturnEvent.newBuilder().setEventId(nextEventId()).setOccurredAt(at)
        .setCustomerId(customer.id()).setReturnId(returnId).setOrderId(orderId).setType(type);
  }

  private void schedule(OrderEvent.Builder event) {
    schedule(ORDERS, event.getCustomerId(), event.build(), event.getOccurredAt());
  }

  private void schedule(ContactEvent.Builder event) {
    schedule(CONTACTS, event.getCustomerId(), event.build(), event.getOccurredAt());
  }

  private void schedule(ReturnEvent.Builder event) {
    schedule(RETURNS, event.getCustomerId(), event.build(), event.getOccurredAt());
  }

  private void schedule(String stream, String key, SpecificRecord event, Instant at) {
    pending.add(new Pending(new HistoryEvent(stream, key, event, at), scheduled++));
  }

  private String nextEventId() {
    return numbered("E-", ++events, 8);
  }

  /** When a customer gets in touch: from {@code notBefore} to {@code withinDays} later, mostly in the daytime. */
  private Instant contactTime(Instant notBefore, int withinDays) {
    LocalDate day = localDate(notBefore).plusDays(random.nextInt(withinDays + 1));
    int hour = CONTACT_HOURS.draw(random);
    int minute = random.nextInt(60);
    int second = random.nextInt(60);
    Instant at = at(day, hour, minute, second);
    return at.isAfter(notBefore) ? at : at(day.plusDays(1), hour, minute, second);
  }

  /** {@code at}, or the next morning if the office is closed then. */
  private Instant nextServiceTime(Instant at) {
    ZonedDateTime local = at.atZone(zone);
    if (local.getHour() >= OPENS && local.getHour() < CLOSES) {
      return at;
    }
    LocalDate day = local.getHour() >= CLOSES ? local.toLocalDate().plusDays(1) : local.toLocalDate();
    return daytime(day, OPENS, OPENS + 2);
  }

  private boolean inServiceHours(Instant at) {
    int hour = at.atZone(zone).getHour();
    return hour >= OPENS && hour < CLOSES;
  }

  private Instant daytime(LocalDate day, int fromHour, int untilHour) {
    return at(day, fromHour + random.nextInt(untilHour - fromHour), random.nextInt(60), random.nextInt(60));
  }

  private Instant at(LocalDate day, int hour, int minute, int second) {
    return ZonedDateTime.of(day, LocalTime.of(hour, minute, second), zone).toInstant();
  }

  private LocalDate localDate(Instant at) {
    return LocalDate.ofInstant(at, zone);
  }

  /** How many times something happening {@code mean} times on average happens this time (Knuth's method). */
  private int poisson(double mean) {
    double threshold = Math.exp(-mean);
    double product = random.nextDouble();
    int count = 0;
    while (product > threshold) {
      count++;
      product *= random.nextDouble();
    }
    return count;
  }

  private boolean chance(double probability) {
    return random.nextDouble() < probability;
  }

  private double uniform(double from, double to) {
    return from + random.nextDouble() * (to - from);
  }

  private Duration seconds(long from, long to) {
    return Duration.ofSeconds(from + random.nextLong(to - from + 1));
  }

  private Duration minutes(long from, long to) {
    return seconds(from * 60, to * 60);
  }

  private Duration hours(long from, long to) {
    return seconds(from * 3600, to * 3600);
  }

  /** {@code C-000042}: a prefix and a zero-padded number, cheaper than String.format on this hot path. */
  private static String numbered(String prefix, long number, int digits) {
    String digitsOnly = Long.toString(number);
    StringBuilder id = new StringBuilder(prefix.length() + Math.max(digits, digitsOnly.length())).append(prefix);
    for (int i = digitsOnly.length(); i < digits; i++) {
      id.append('0');
    }
    return id.append(digitsOnly).toString();
  }

  private static boolean contains(int[] values, int length, int value) {
    for (int i = 0; i < length; i++) {
      if (values[i] == value) {
        return true;
      }
    }
    return false;
  }

  private static Weighted<Integer> byHour(double... weightByHour) {
    Weighted<Integer> hours = new Weighted<>();
    for (int hour = 0; hour < weightByHour.length; hour++) {
      if (weightByHour[hour] > 0) {
        hours.or(hour, weightByHour[hour]);
      }
    }
    return hours;
  }
}

package org.churnsignals.generate;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * The shop's ~200 products, their popularity and each one's price over time. A product's prices
 * are kept from the day being planned onwards, so an order placed today and a sale starting next
 * week can both be priced; anything older is forgotten, keeping memory flat over a long run.
 */
final class Catalogue {

  private record Department(String code, int products, long cheapestCents, long dearestCents) {}

  private record PricePoint(Instant from, long cents) {}

  // Same products and list prices for every seed, so a sku names the same item in every history.
  private static final long CATALOGUE_SEED = 20_260_301L;

  private static final Department[] DEPARTMENTS = {
    new Department("BOOK", 20, 599, 2_999),
    new Department("KIT", 30, 899, 8_999),
    new Department("HOME", 30, 1_499, 14_999),
    new Department("GDN", 20, 999, 7_999),
    new Department("TOY", 25, 799, 4_999),
    new Department("ELEC", 25, 1_999, 39_999),
    new Department("BEAU", 25, 499, 3_999),
    new Department("SPRT", 25, 1_499, 11_999),
  };

  private final String[] skus;
  private final double[] cumulativePopularity;
  private final double medianPopularity;
  private final ArrayDeque<PricePoint>[] prices;

  @SuppressWarnings("unchecked")
  Catalogue() {
    SplittableRandom random = new SplittableRandom(CATALOGUE_SEED);
    int size = Arrays.stream(DEPARTMENTS).mapToInt(Department::products).sum();
    skus = new String[size];
    cumulativePopularity = new double[size];
    prices = new ArrayDeque[size];
    int product = 0;
    double popularity = 0;
    for (Department department : DEPARTMENTS) {
      for (int i = 1; i <= department.products(); i++, product++) {
        skus[product] = String.format("%s-%04d", department.code(), i);
        // A few bestsellers and a long tail, as in any shop.
        popularity += Math.exp(random.nextGaussian() * 0.9);
        cumulativePopularity[product] = popularity;
        // Cheaper items are more common than dear ones: skew towards the bottom of the range.
        double position = Math.pow(random.nextDouble(), 2);
        long cents = department.cheapestCents()
            + Math.round(position * (department.dearestCents() - department.cheapestCents()));
        prices[product] = new ArrayDeque<>();
        prices[product].add(new PricePoint(Instant.MIN, shelfPrice(cents)));
      }
    }
    double[] sorted = new double[size];
    for (int i = 0; i < size; i++) {
      sorted[i] = popularity(i);
    }
    Arrays.sort(sorted);
    medianPopularity = sorted[size / 2];
  }

  int size() {
    return skus.length;
  }

  String sku(int product) {
    return skus[product];
  }

  /** A product chosen by popularity. */
  int pick(SplittableRandom random) {
    double target = random.nextDouble() * cumulativePopularity[skus.length - 1];
    int found = Arrays.binarySearch(cumulativePopularity, target);
    return found >= 0 ? found : Math.min(-found - 1, skus.length - 1);
  }

  /** A product from the less popular half, chosen evenly. */
  int pickFromLongTail(SplittableRandom random) {
    int product;
    do {
      product = random.nextInt(skus.length);
    } while (popularity(product) > medianPopularity);
    return product;
  }

  double popularity(int product) {
    return cumulativePopularity[product] - (product == 0 ? 0 : cumulativePopularity[product - 1]);
  }

  long priceAt(int product, Instant at) {
    Iterator<PricePoint> newestFirst = prices[product].descendingIterator();
    while (newestFirst.hasNext()) {
      PricePoint point = newestFirst.next();
      if (!point.from().isAfter(at)) {
        return point.cents();
      }
    }
    throw new IllegalStateException("no price for " + skus[product] + " at " + at + ": already forgotten");
  }

  /** When the latest change already planned for this product takes effect. */
  Instant lastChangeAt(int product) {
    return prices[product].getLast().from();
  }

  long latestPrice(int product) {
    return prices[product].getLast().cents();
  }

  /** Plans a new price; changes must be planned in time order so every change knows its old price. */
  void changePrice(int product, Instant from, long newCents) {
    if (!from.isAfter(lastChangeAt(product))) {
      throw new IllegalArgumentException("price change for " + skus[product] + " at " + from
          + " is not after the one already planned at " + lastChangeAt(product));
    }
    prices[product].addLast(new PricePoint(from, newCents));
  }

  /** Forgets prices superseded before {@code at}; nothing will be priced earlier than that again. */
  void forgetBefore(Instant at) {
    for (ArrayDeque<PricePoint> history : prices) {
      while (history.size() > 1 && !secondOf(history).from().isAfter(at)) {
        history.removeFirst();
      }
    }
  }

  /** Rounds to a price ending in 9, as shops print them; never below 99 cents. */
  static long shelfPrice(double cents) {
    return Math.max(99, Math.round(cents / 10.0) * 10 - 1);
  }

  private static PricePoint secondOf(ArrayDeque<PricePoint> history) {
    Iterator<PricePoint> oldestFirst = history.iterator();
    oldestFirst.next();
    return oldestFirst.next();
  }
}

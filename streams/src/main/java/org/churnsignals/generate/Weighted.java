package org.churnsignals.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** A fixed set of outcomes with relative weights, drawn from a seeded random. */
final class Weighted<T> {

  private final List<T> outcomes = new ArrayList<>();
  private double[] cumulative = new double[0];

  Weighted<T> or(T outcome, double weight) {
    if (weight <= 0) {
      throw new IllegalArgumentException("weight must be positive: " + weight);
    }
    double total = cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
    outcomes.add(outcome);
    cumulative = Arrays.copyOf(cumulative, cumulative.length + 1);
    cumulative[cumulative.length - 1] = total + weight;
    return this;
  }

  static <T> Weighted<T> of(T outcome, double weight) {
    return new Weighted<T>().or(outcome, weight);
  }

  T draw(SplittableRandom random) {
    double target = random.nextDouble() * cumulative[cumulative.length - 1];
    for (int i = 0; i < cumulative.length; i++) {
      if (target < cumulative[i]) {
        return outcomes.get(i);
      }
    }
    return outcomes.get(outcomes.size() - 1);
  }
}

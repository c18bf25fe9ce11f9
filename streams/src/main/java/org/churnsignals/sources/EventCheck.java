package org.churnsignals.sources;

/** What makes an event unusable beyond its bytes: a missing field for its type, a negative amount. */
@FunctionalInterface
public interface EventCheck<T> {

  /** The problem with this event, or null when it can be used. */
  Problem problem(T event);

  record Problem(String reason, String message) {
    public static Problem missing(String field, String type) {
      return new Problem("missing_field", "missing required field '" + field + "' for type " + type);
    }

    public static Problem invalid(String field, Object value, String rule) {
      return new Problem("invalid_value", "field '" + field + "' " + rule + ", got " + value);
    }
  }

  static <T> EventCheck<T> none() {
    return event -> null;
  }
}

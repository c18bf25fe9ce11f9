package org.churnsignals.sources;

/** The outcome of reading one input record: a usable event, or the bytes as received with the reason. */
record Decoded<T>(T event, byte[] rawKey, byte[] rawValue) {

  static <T> Decoded<T> usable(T event) {
    return new Decoded<>(event, null, null);
  }

  static <T> Decoded<T> deadLetter(byte[] rawKey, byte[] rawValue) {
    return new Decoded<>(null, rawKey, rawValue);
  }

  boolean isUsable() {
    return event != null;
  }
}

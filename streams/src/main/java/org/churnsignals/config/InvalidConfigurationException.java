package org.churnsignals.config;

/** A setting that cannot be used; the message is one line naming the setting and where it came from. */
public final class InvalidConfigurationException extends RuntimeException {
  public InvalidConfigurationException(String message) {
    super(message);
  }
}

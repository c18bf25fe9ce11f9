package org.churnsignals.sources;

/**
 * A signal name a source raises, and what a retention agent should do when it is among a customer's
 * reasons. Risk, alerts, metrics and the API take any name; this is the one place a name is described.
 *
 * @param recovery a credit that counts only for a customer with something to recover from
 */
public record SignalKind(String name, String recommendedAction, boolean recovery) {

  public SignalKind(String name, String recommendedAction) {
    this(name, recommendedAction, false);
  }
}

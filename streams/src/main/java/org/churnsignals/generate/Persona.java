package org.churnsignals.generate;

/**
 * What goes wrong for a customer once their experience starts to degrade. Healthy customers still
 * meet the odd isolated hiccup (one late parcel, one slow e-mail), the noise the pipeline has to
 * tell apart from a pattern.
 */
public enum Persona {
  HEALTHY(0.0),
  /** Parcels arrive one to five days after the promise, some never; a few with a delay notice first. */
  LATE_DELIVERIES(0.05),
  /** Calls ring out and are not called back; e-mails and messages are answered days late or never. */
  UNREACHABLE(0.04),
  /** Returns of defective or wrong items are rejected, charged a fee, or refunded weeks later. */
  HARD_RETURNS(0.03),
  /** What they buy goes on sale 10-30% cheaper a few days later. */
  PRICE_DROPS(0.03),
  /** They are charged more than the price quoted at checkout. */
  OVERCHARGED(0.02);

  private final double degradingShare;

  Persona(double degradingShare) {
    this.degradingShare = degradingShare;
  }

  /** The intended fraction of all customers with this persona. */
  public double share() {
    if (this != HEALTHY) {
      return degradingShare;
    }
    double degrading = 0;
    for (Persona persona : values()) {
      degrading += persona.degradingShare;
    }
    return 1.0 - degrading;
  }
}

package org.churnsignals.topology;

import org.churnsignals.schema.Signal;

/** What the risk tracker hears about a customer: a signal, or an order's spend. */
sealed interface CustomerActivity {

  record SignalRaised(Signal signal) implements CustomerActivity {}

  record OrderPlaced(long totalCents) implements CustomerActivity {}
}

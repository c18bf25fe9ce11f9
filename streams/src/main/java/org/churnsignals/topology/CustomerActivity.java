package org.churnsignals.topology;

import org.churnsignals.schema.Signal;

/** What the risk tracker hears about a customer: a signal, an order's spend, or just that they were seen. */
sealed interface CustomerActivity {

  record SignalRaised(Signal signal) implements CustomerActivity {}

  record OrderPlaced(long totalCents) implements CustomerActivity {}

  record Seen() implements CustomerActivity {}
}

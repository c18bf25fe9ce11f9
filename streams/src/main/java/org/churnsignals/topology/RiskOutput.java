package org.churnsignals.topology;

import org.churnsignals.schema.ChurnAlert;
import org.churnsignals.schema.CustomerRisk;
import org.churnsignals.schema.Signal;

/** What the risk tracker publishes, each to its own topic. */
sealed interface RiskOutput {

  record Accepted(Signal signal) implements RiskOutput {}

  record RiskChanged(CustomerRisk risk) implements RiskOutput {}

  record AlertRaised(ChurnAlert alert) implements RiskOutput {}
}

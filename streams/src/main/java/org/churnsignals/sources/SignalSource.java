package org.churnsignals.sources;

import java.util.List;
import org.apache.kafka.streams.kstream.KStream;
import org.churnsignals.schema.Signal;

/**
 * One stream of customer experience turned into churn signals. A new source is one class implementing
 * this plus the Avro schema of its events, registered in {@link SignalSources}.
 */
public interface SignalSource {

  /** The signals this source raises. */
  List<SignalKind> kinds();

  /**
   * Adds this source's processors and stores to the topology, reading its events through the context,
   * and returns its signals keyed by customerId.
   */
  KStream<String, Signal> signals(SourceContext context);
}

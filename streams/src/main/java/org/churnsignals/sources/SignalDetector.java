package org.churnsignals.sources;

import java.time.Duration;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.churnsignals.schema.Signal;

/**
 * A processor that turns one customer stream into signals, including signals for things that did not
 * happen by their deadline. Subclasses say what an event means and what a passed deadline means.
 */
public abstract class SignalDetector<V> implements Processor<String, V, String, Signal> {

  private final String deadlineStore;
  private final Duration wallClockInterval;
  private final PassingTime passingTime = new PassingTime();
  protected ProcessorContext<String, Signal> context;
  protected DeadlineIndex deadlines;

  protected SignalDetector(String deadlineStore, Duration wallClockInterval) {
    this.deadlineStore = deadlineStore;
    this.wallClockInterval = wallClockInterval;
  }

  @Override
  public void init(ProcessorContext<String, Signal> context) {
    this.context = context;
    KeyValueStore<Bytes, byte[]> store = context.getStateStore(deadlineStore);
    this.deadlines = new DeadlineIndex(store);
    openStores(context);
    passingTime.watch(context, wallClockInterval, now -> deadlines.passDue(now, d -> onDeadline(d.id(), d.at())));
  }

  @Override
  public final void process(Record<String, V> record) {
    passingTime.recordSeen(context.currentStreamTimeMs(), context.currentSystemTimeMs());
    onEvent(record.key(), record.value());
  }

  /** Called once at init to look up this detector's own stores. */
  protected abstract void openStores(ProcessorContext<String, Signal> context);

  protected abstract void onEvent(String customerId, V event);

  /** The deadline {@code id} scheduled for {@code at} has passed with nothing cancelling it. */
  protected abstract void onDeadline(String id, long at);

  protected final void raise(Signal signal) {
    context.forward(new Record<>(signal.getCustomerId(), signal, signal.getOccurredAt().toEpochMilli()));
  }
}

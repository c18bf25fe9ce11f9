package org.churnsignals.sources;

import java.time.Duration;
import java.util.function.LongConsumer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * The time against which deadlines are judged. Event time (stream time) always counts; in a live
 * pipeline the wall clock also moves it, so a quiet customer's missed deadline is flagged on time.
 *
 * <p>The wall clock is trusted only as far as the input keeps up with it: it is shifted back by the lag
 * between the wall clock and stream time seen at the last record. While a backlog is read (lag of days)
 * deadlines follow the events; once caught up (lag of seconds) they follow the clock. Replay never
 * advances the wall clock, so its output depends on the events alone.
 */
public final class PassingTime {

  /** Stream time moves deadlines at this granularity; finer costs a store seek per event. */
  private static final Duration STREAM_TIME_TICK = Duration.ofMinutes(5);

  private long lagMs;
  private boolean lagKnown;

  public void recordSeen(long streamTimeMs, long wallClockMs) {
    lagMs = wallClockMs - streamTimeMs;
    lagKnown = true;
  }

  public long now(long streamTimeMs, long wallClockMs) {
    return lagKnown ? Math.max(streamTimeMs, wallClockMs - lagMs) : streamTimeMs;
  }

  /** Calls {@code pass} with the time deadlines are judged against, as event time and the wall clock move. */
  public void watch(ProcessorContext<?, ?> context, Duration wallClockInterval, LongConsumer pass) {
    context.schedule(STREAM_TIME_TICK, PunctuationType.STREAM_TIME, pass::accept);
    context.schedule(wallClockInterval, PunctuationType.WALL_CLOCK_TIME,
        wallClock -> pass.accept(now(context.currentStreamTimeMs(), wallClock)));
  }
}

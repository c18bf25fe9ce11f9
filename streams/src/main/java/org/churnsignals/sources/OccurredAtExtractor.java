package org.churnsignals.sources;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time is the event's occurredAt, not when a producer sent it. Reading it means decoding the value
 * once more here; a record that does not decode fails in the decoder and, meanwhile, leaves event time
 * where it was: its producer's timestamp (often "now", days ahead of a backlog) would pass every deadline
 * in the partition early.
 */
final class OccurredAtExtractor<T extends SpecificRecord> implements TimestampExtractor {

  private final Deserializer<T> deserializer;
  private final long maxFutureSkewMs;

  OccurredAtExtractor(Deserializer<T> deserializer, java.time.Duration maxFutureSkew) {
    this.deserializer = deserializer;
    this.maxFutureSkewMs = maxFutureSkew.toMillis();
  }

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    try {
      T event = deserializer.deserialize(record.topic(), record.headers(), (byte[]) record.value());
      if (event != null && EventFields.occurredAt(event) != null) {
        long occurredAt = EventFields.occurredAt(event).toEpochMilli();
        // A time far in the future is a dead letter; it must not drag event time (and every deadline) along.
        if (occurredAt <= System.currentTimeMillis() + maxFutureSkewMs) {
          return occurredAt;
        }
      }
    } catch (RuntimeException ignored) {
      // the decoder reports it, with the record, on the dead-letter topic
    }
    if (partitionTime >= 0) {
      return partitionTime;
    }
    // The partition's first record: nothing to stay at, and the dead letter needs a sane timestamp.
    return Math.max(record.timestamp(), 0);
  }
}

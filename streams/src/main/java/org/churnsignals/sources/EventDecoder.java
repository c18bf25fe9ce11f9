package org.churnsignals.sources;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.churnsignals.http.ChurnMetrics;
import org.churnsignals.serde.RecordDecodingException;
import org.churnsignals.serde.SchemaRegistryException;

/**
 * Reads one input record: decodes it, checks it, and either passes the event on keyed as the pipeline
 * needs, or passes the record as received to the dead-letter branch with headers saying why. Nothing
 * stops the pipeline and nothing is dropped.
 */
final class EventDecoder<T extends SpecificRecord> implements Processor<byte[], byte[], String, Decoded<T>> {

  static final String HEADER_TOPIC = "dead-letter.source-topic";
  static final String HEADER_PARTITION = "dead-letter.source-partition";
  static final String HEADER_OFFSET = "dead-letter.source-offset";
  static final String HEADER_ERROR = "dead-letter.error";
  static final String HEADER_REASON = "dead-letter.reason";

  private final String stream;
  private final Deserializer<T> deserializer;
  private final Function<T, String> keyOf;
  private final EventCheck<T> check;
  private final Duration maxFutureSkew;
  private final ChurnMetrics metrics;
  private ProcessorContext<String, Decoded<T>> context;

  EventDecoder(String stream, Deserializer<T> deserializer, Function<T, String> keyOf, EventCheck<T> check,
      Duration maxFutureSkew, ChurnMetrics metrics) {
    this.stream = stream;
    this.deserializer = deserializer;
    this.keyOf = keyOf;
    this.check = check;
    this.maxFutureSkew = maxFutureSkew;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Decoded<T>> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(stream);
    T event;
    try {
      event = deserializer.deserialize(topic, record.headers(), record.value());
    } catch (RecordDecodingException e) {
      deadLetter(record, e.reason(), e.getMessage());
      return;
    } catch (SchemaRegistryException e) {
      // The record is not at fault when the registry cannot be reached: fail and retry, never dead-letter.
      throw e;
    } catch (RuntimeException e) {
      deadLetter(record, "undecodable", String.valueOf(e.getMessage()));
      return;
    }
    if (event == null) {
      deadLetter(record, "missing_value", "record has no value");
      return;
    }
    EventCheck.Problem problem = problemWith(event, record.key());
    if (problem != null) {
      deadLetter(record, problem.reason(), problem.message());
      return;
    }
    long occurredAt = EventFields.occurredAt(event).toEpochMilli();
    metrics.eventReceived(stream, Duration.ofMillis(context.currentSystemTimeMs() - occurredAt));
    context.forward(new Record<>(keyOf.apply(event), Decoded.usable(event), occurredAt, record.headers()));
  }

  private EventCheck.Problem problemWith(T event, byte[] rawKey) {
    String eventId = EventFields.eventId(event);
    if (eventId == null || eventId.isBlank()) {
      return EventCheck.Problem.missing("eventId", stream);
    }
    Instant occurredAt = EventFields.occurredAt(event);
    long latestAllowed = context.currentSystemTimeMs() + maxFutureSkew.toMillis();
    if (occurredAt.toEpochMilli() > latestAllowed) {
      return new EventCheck.Problem("future_time",
          "occurredAt " + occurredAt + " is more than " + maxFutureSkew.toHours() + "h after the wall clock");
    }
    EventCheck.Problem problem = check.problem(event);
    if (problem != null) {
      return problem;
    }
    String expectedKey = keyOf.apply(event);
    String key = rawKey == null ? null : new String(rawKey, StandardCharsets.UTF_8);
    if (!expectedKey.equals(key)) {
      // A record keyed otherwise sits in another partition than the rest of its customer's state.
      return new EventCheck.Problem("key_mismatch",
          "record key '" + key + "' is not the event's partitioning field '" + expectedKey + "'");
    }
    return null;
  }

  private void deadLetter(Record<byte[], byte[]> record, String reason, String error) {
    Headers headers = new RecordHeaders(record.headers().toArray());
    RecordMetadata metadata = context.recordMetadata().orElse(null);
    if (metadata != null) {
      headers.add(HEADER_TOPIC, metadata.topic().getBytes(StandardCharsets.UTF_8));
      headers.add(HEADER_PARTITION, Integer.toString(metadata.partition()).getBytes(StandardCharsets.UTF_8));
      headers.add(HEADER_OFFSET, Long.toString(metadata.offset()).getBytes(StandardCharsets.UTF_8));
    }
    headers.add(HEADER_REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(HEADER_ERROR, error.getBytes(StandardCharsets.UTF_8));
    metrics.deadLetter(stream, reason);
    context.forward(new Record<>(null, Decoded.deadLetter(record.key(), record.value()), record.timestamp(), headers));
  }
}

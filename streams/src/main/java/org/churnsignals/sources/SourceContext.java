package org.churnsignals.sources;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.http.ChurnMetrics;
import org.churnsignals.serde.BinaryAvroSerde;
import org.churnsignals.serde.ConfluentAvroSerde;
import org.churnsignals.serde.SchemaRegistry;

/**
 * What a signal source gets to build its part of the topology: its input streams, already decoded and
 * checked with bad records sent to the dead-letter topic, serdes, stores and the configuration.
 */
public final class SourceContext {

  private final StreamsBuilder builder;
  private final ChurnConfig config;
  private final ChurnMetrics metrics;
  private final SchemaRegistry registry;
  private final Map<String, KStream<String, ? extends SpecificRecord>> inputs = new LinkedHashMap<>();
  private final List<Consumer<KStream<String, ? extends SpecificRecord>>> customerStreamListeners = new ArrayList<>();

  public SourceContext(StreamsBuilder builder, ChurnConfig config, ChurnMetrics metrics, SchemaRegistry registry) {
    this.builder = builder;
    this.config = config;
    this.metrics = metrics;
    this.registry = registry;
  }

  public StreamsBuilder builder() {
    return builder;
  }

  public ChurnConfig config() {
    return config;
  }

  public ChurnMetrics metrics() {
    return metrics;
  }

  /**
   * The events of a topic keyed by customerId. Asking twice for one topic returns the same stream, so
   * every source that needs orders shares one decoder.
   */
  public <T extends SpecificRecord> KStream<String, T> customerEvents(
      String stream, String topic, Class<T> type, Function<T, String> customerId, EventCheck<T> check) {
    boolean first = !inputs.containsKey(topic);
    KStream<String, T> events = events(stream, topic, type, customerId, check);
    if (first) {
      customerStreamListeners.forEach(listener -> listener.accept(events));
    }
    return events;
  }

  /**
   * Hands each customer-keyed input stream to {@code listener} as soon as it is first asked for, before
   * the asking source adds its own processors: a record reaches the listener's processors first.
   */
  public void onCustomerStream(Consumer<KStream<String, ? extends SpecificRecord>> listener) {
    customerStreamListeners.add(listener);
  }

  /** The events of a topic keyed by another field (prices by sku). */
  @SuppressWarnings("unchecked")
  public <T extends SpecificRecord> KStream<String, T> events(
      String stream, String topic, Class<T> type, Function<T, String> keyOf, EventCheck<T> check) {
    KStream<String, ? extends SpecificRecord> known = inputs.get(topic);
    if (known != null) {
      return (KStream<String, T>) known;
    }
    ConfluentAvroSerde<T> serde = topicSerde(type);
    KStream<String, Decoded<T>> decoded = builder
        .stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
            .withName(stream + "-input")
            .withTimestampExtractor(new OccurredAtExtractor<>(topicSerde(type).deserializer(), config.maxFutureSkew())))
        .process(() -> new EventDecoder<>(stream, serde.deserializer(), keyOf, check, config.maxFutureSkew(), metrics),
            Named.as(stream + "-decoder"));
    Map<String, KStream<String, Decoded<T>>> branches = decoded
        .split(Named.as(stream + "-sorted"))
        .branch((key, value) -> value.isUsable(), Branched.as("-usable"))
        .defaultBranch(Branched.as("-unusable"));
    branches.get(stream + "-sorted-unusable")
        .map((key, value) -> KeyValue.pair(value.rawKey(), value.rawValue()), Named.as(stream + "-as-received"))
        .to(config.topics().deadLetters(),
            Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(stream + "-dead-letters"));
    KStream<String, T> events = branches.get(stream + "-sorted-usable").mapValues(Decoded::event, Named.as(stream + "-events"));
    inputs.put(topic, events);
    return events;
  }

  /**
   * The topic a source reads: the setting {@code topics.NAME} when there is one (a new source's topic is
   * configurable without declaring it anywhere), else NAME itself.
   */
  public String topic(String name) {
    return config.settings().keys().contains("topics." + name) ? config.settings().string("topics." + name) : name;
  }

  /** Confluent wire format through the schema registry: for topics other systems read and write. */
  public <T extends SpecificRecord> ConfluentAvroSerde<T> topicSerde(Class<T> type) {
    return new ConfluentAvroSerde<>(type, registry);
  }

  /** Plain Avro binary: for the pipeline's own stores and repartition topics. */
  public <T extends SpecificRecord> Serde<T> internalSerde(Class<T> type) {
    return new BinaryAvroSerde<>(type);
  }

  public <T extends SpecificRecord> StoreBuilder<KeyValueStore<String, T>> keyValueStore(String name, Class<T> type) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), internalSerde(type));
  }
}

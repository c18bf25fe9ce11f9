package org.churnsignals.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.churnsignals.alerts.AlertComposer;
import org.churnsignals.alerts.AlertPolicy;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.http.ChurnMetrics;
import org.churnsignals.schema.ChurnAlert;
import org.churnsignals.schema.CustomerRisk;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.OrderEventType;
import org.churnsignals.schema.Signal;
import org.churnsignals.scoring.RiskModel;
import org.churnsignals.serde.SchemaRegistry;
import org.churnsignals.sources.DeadlineIndex;
import org.churnsignals.sources.SignalKind;
import org.churnsignals.sources.SignalSource;
import org.churnsignals.sources.SignalSources;
import org.churnsignals.sources.SourceContext;
import org.churnsignals.state.CustomerRiskState;

/**
 * Builds the whole pipeline from the configuration: each signal source reads its stream and raises
 * signals; every signal and every customer event meets in one risk tracker per customer, which publishes
 * the signals it counted, each customer's risk, and alerts. The live app, replay and tests all call this.
 */
public final class ChurnTopology {

  private ChurnTopology() {}

  public static Topology build(ChurnConfig config, ChurnMetrics metrics, SchemaRegistry registry, List<SignalSource> sources) {
    Properties props = streamsConfig(config);
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    SourceContext context = new SourceContext(builder, config, metrics, registry);
    Map<String, SignalKind> kinds = SignalSources.kinds(sources);

    // A customer's order must count in their value at risk before the signals that order raises reach the
    // risk tracker, so orders are taken off their stream before any source sees it. Other events need not
    // reach the tracker: a customer with no signal and no order is at no risk, and most events are such.
    List<KStream<String, CustomerActivity>> seen = new ArrayList<>();
    context.onCustomerStream(events ->
        seen.add(events.flatMapValues(ChurnTopology::spendOf, Named.as("customer-spend-" + seen.size()))));

    KStream<String, CustomerActivity> activity = null;
    for (SignalSource source : sources) {
      KStream<String, Signal> signals = source.signals(context);
      String name = source.getClass().getSimpleName();
      KStream<String, CustomerActivity> raised =
          signals.mapValues(s -> (CustomerActivity) new CustomerActivity.SignalRaised(s), Named.as(kebab(name) + "-raised"));
      activity = activity == null ? raised : activity.merge(raised, Named.as("with-" + kebab(name)));
    }
    for (int i = 0; i < seen.size(); i++) {
      activity = activity == null ? seen.get(i) : activity.merge(seen.get(i), Named.as("with-customer-spend-" + i));
    }
    if (activity == null) {
      throw new IllegalArgumentException("no signal sources");
    }

    builder.addStateStore(context.keyValueStore(RiskStores.CUSTOMERS, CustomerRiskState.class));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(RiskStores.AT_RISK), Serdes.Bytes(), Serdes.Long()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(RiskStores.ALERTS), Serdes.Bytes(), context.internalSerde(ChurnAlert.class)));
    builder.addStateStore(DeadlineIndex.storeBuilder(RiskStores.REVIEWS));

    RiskModel model = new RiskModel(config.risk());
    AlertPolicy policy = new AlertPolicy(config.risk().cooldown());
    AlertComposer composer = new AlertComposer(model, kinds);
    Map<String, KStream<String, RiskOutput>> outputs = activity
        .process(() -> new CustomerRiskTracker(model, policy, composer, kinds, metrics, config.wallClockInterval()),
            Named.as("customer-risk-tracker"),
            RiskStores.CUSTOMERS, RiskStores.AT_RISK, RiskStores.ALERTS, RiskStores.REVIEWS)
        .split(Named.as("risk-outputs"))
        .branch((id, out) -> out instanceof RiskOutput.Accepted, Branched.as("-signals"))
        .branch((id, out) -> out instanceof RiskOutput.RiskChanged, Branched.as("-changes"))
        .defaultBranch(Branched.as("-alerts"));

    ChurnConfig.Topics topics = config.topics();
    outputs.get("risk-outputs-signals")
        .mapValues(out -> ((RiskOutput.Accepted) out).signal(), Named.as("counted-signals"))
        .to(topics.signals(), Produced.with(Serdes.String(), context.topicSerde(Signal.class)).withName("signals-sink"));
    outputs.get("risk-outputs-changes")
        .mapValues(out -> ((RiskOutput.RiskChanged) out).risk(), Named.as("customer-risks"))
        .to(topics.risk(), Produced.with(Serdes.String(), context.topicSerde(CustomerRisk.class)).withName("risk-sink"));
    outputs.get("risk-outputs-alerts")
        .mapValues(out -> ((RiskOutput.AlertRaised) out).alert(), Named.as("churn-alerts"))
        .to(topics.alerts(), Produced.with(Serdes.String(), context.topicSerde(ChurnAlert.class)).withName("alerts-sink"));
    return builder.build();
  }

  private static List<CustomerActivity> spendOf(SpecificRecord event) {
    if (event instanceof OrderEvent order && order.getType() == OrderEventType.PLACED) {
      return List.of(new CustomerActivity.OrderPlaced(order.getTotalCents()));
    }
    return List.of();
  }

  /** Kafka Streams settings for this configuration; any kafka.* setting passes through unchanged. */
  public static Properties streamsConfig(ChurnConfig config) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.http().applicationServer());
    // Exactly-once commits a transaction per commit interval; 100 ms (its default) spends more on
    // transactions and changelog writes than on churn. One second keeps alerts prompt; the larger record
    // cache folds a customer's several updates between commits into one changelog write.
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
    props.put(BoundedRocksDbMemory.TOTAL_MEMORY_MB, config.rocksDbMemoryMb());
    // Every store and internal topic is named in code, so state survives topology changes between releases.
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    // Kafka 4.3 warns until this is on; it becomes the default in 5.0.
    props.put("processing.exception.handler.global.enabled", true);
    props.put(StreamsConfig.mainConsumerPrefix("processing.exception.handler.global.enabled"), true);
    props.putAll(config.settings().kafkaSettings());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    return props;
  }

  private static String kebab(String className) {
    return className.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
  }
}

package org.churnsignals.runtime;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.churnsignals.alerts.AlertComposer;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.http.ChurnMetrics;
import org.churnsignals.http.ClusterRetentionView;
import org.churnsignals.http.RetentionServer;
import org.churnsignals.scoring.RiskModel;
import org.churnsignals.serde.SchemaRegistries;
import org.churnsignals.sources.SignalSource;
import org.churnsignals.sources.SignalSources;
import org.churnsignals.topology.ChurnTopology;
import org.churnsignals.topology.RiskStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live pipeline: Kafka Streams running the topology, and the one HTTP server for metrics, the
 * retention API and the console. Used by {@code run} and {@code demo} alike.
 */
public final class ChurnApplication implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChurnApplication.class);

  private final KafkaStreams streams;
  private final RetentionServer server;
  private final PrometheusMeterRegistry registry;
  private final KafkaStreamsMetrics streamsMetrics;

  private ChurnApplication(KafkaStreams streams, RetentionServer server, PrometheusMeterRegistry registry,
      KafkaStreamsMetrics streamsMetrics) {
    this.streams = streams;
    this.server = server;
    this.registry = registry;
    this.streamsMetrics = streamsMetrics;
  }

  public static ChurnApplication start(ChurnConfig config) {
    return start(config, SignalSources.standard());
  }

  public static ChurnApplication start(ChurnConfig config, List<SignalSource> sources) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    ChurnMetrics metrics = new ChurnMetrics(registry);

    KafkaStreams streams = new KafkaStreams(
        ChurnTopology.build(config, metrics, SchemaRegistries.forUrl(config.schemaRegistryUrl()), sources),
        ChurnTopology.streamsConfig(config));
    streams.setUncaughtExceptionHandler(e -> {
      log.error("A stream thread failed; replacing it", e);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.setStateListener((now, before) -> log.info("Kafka Streams {} -> {}", before, now));
    KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);

    RiskModel model = new RiskModel(config.risk());
    StoreRetentionView local = new StoreRetentionView(streams, new AlertComposer(model, SignalSources.kinds(sources)));
    ClusterRetentionView view = new ClusterRetentionView(streams, RiskStores.CUSTOMERS,
        HostInfo.buildFromEndpoint(config.http().applicationServer()), local, config.http().token());
    ChurnConfig.Http http = config.http();
    RetentionServer server = RetentionServer.start(new RetentionServer.Settings(http.bind(), http.port(), http.token()),
        view, registry, () -> streams.state() == KafkaStreams.State.RUNNING);
    streams.start();
    log.info("Churn Signals {} started: HTTP on {}:{}", config.applicationId(), http.bind(), server.port());
    return new ChurnApplication(streams, server, registry, streamsMetrics);
  }

  public KafkaStreams streams() {
    return streams;
  }

  public int httpPort() {
    return server.port();
  }

  public boolean isRunning() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  /** Waits until the pipeline is RUNNING; false if it did not get there in time. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!isRunning()) {
      if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED) {
        return isRunning();
      }
      Thread.sleep(100);
    }
    return true;
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
    server.close();
    streamsMetrics.close();
    registry.close();
  }
}

package org.churnsignals.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.churnsignals.alerts.AlertComposer;
import org.churnsignals.http.RetentionView;
import org.churnsignals.schema.AlertReason;
import org.churnsignals.schema.ChurnAlert;
import org.churnsignals.schema.CustomerRisk;
import org.churnsignals.schema.RiskLevel;
import org.churnsignals.schema.Signal;
import org.churnsignals.state.CustomerRiskState;
import org.churnsignals.topology.RiskStores;

/**
 * Answers from this instance's own state stores (interactive queries). Every read is a key lookup or a
 * bounded range read of an index ordered for the question, never a scan of all customers.
 */
public final class StoreRetentionView implements RetentionView {

  private final KafkaStreams streams;
  private final AlertComposer composer;

  public StoreRetentionView(KafkaStreams streams, AlertComposer composer) {
    this.streams = streams;
    this.composer = composer;
  }

  @Override
  public Optional<CustomerProfile> customer(String customerId) {
    CustomerRiskState state = customers().get(customerId);
    if (state == null) {
      return Optional.empty();
    }
    CustomerRisk risk = state.getRisk();
    List<AlertReason> strongestFirst = composer.reasons(state.getSignals(), risk.getUpdatedAt());
    List<Reason> reasons = strongestFirst.stream().map(StoreRetentionView::reason).toList();
    List<String> actions = composer.actions(strongestFirst);
    List<SignalView> recent = new ArrayList<>();
    for (int i = state.getSignals().size() - 1; i >= 0; i--) {
      Signal s = state.getSignals().get(i);
      recent.add(new SignalView(s.getSignal(), s.getPoints(), s.getOccurredAt(), s.getDescription(),
          List.copyOf(s.getEvidenceEventIds())));
    }
    List<ScorePoint> trend = state.getTrend().stream()
        .map(p -> new ScorePoint(Instant.ofEpochMilli(p.getAt()), p.getScore()))
        .toList();
    return Optional.of(new CustomerProfile(customerId, risk.getScore(), risk.getLevel(), risk.getContributions(),
        risk.getValueAtRiskCents(), risk.getUpdatedAt(), reasons, actions, recent, trend));
  }

  @Override
  public List<AtRiskCustomer> atRisk(RiskLevel minLevel, int limit) {
    List<AtRiskCustomer> found = new ArrayList<>();
    if (minLevel == RiskLevel.LOW) {
      minLevel = RiskLevel.ELEVATED;
    }
    ReadOnlyKeyValueStore<Bytes, Long> index = store(RiskStores.AT_RISK);
    Bytes afterLastLevel = Bytes.wrap(new byte[] {(byte) (RiskLevel.CRITICAL.ordinal() - minLevel.ordinal() + 1)});
    try (KeyValueIterator<Bytes, Long> it = index.range(RiskStores.atRiskLevelStart(RiskLevel.CRITICAL), afterLastLevel)) {
      while (it.hasNext() && found.size() < limit) {
        KeyValue<Bytes, Long> entry = it.next();
        String customerId = RiskStores.customerOfAtRiskKey(entry.key);
        CustomerRiskState state = customers().get(customerId);
        Instant updatedAt = state == null ? null : state.getRisk().getUpdatedAt();
        String strongest = state == null ? null : composer.reasons(state.getSignals(), updatedAt).stream()
            .findFirst().map(AlertReason::getDescription).orElse(null);
        found.add(new AtRiskCustomer(customerId, RiskStores.scoreOfAtRiskKey(entry.key),
            RiskStores.levelOfAtRiskKey(entry.key), entry.value, updatedAt, strongest));
      }
    }
    return found;
  }

  @Override
  public List<AlertView> alerts(Instant since, RiskLevel minLevel, int limit) {
    List<AlertView> found = new ArrayList<>();
    ReadOnlyKeyValueStore<Bytes, ChurnAlert> alerts = store(RiskStores.ALERTS);
    try (KeyValueIterator<Bytes, ChurnAlert> it =
        alerts.reverseRange(RiskStores.alertTimeBound(since.toEpochMilli()), RiskStores.alertTimeBound(Long.MAX_VALUE))) {
      while (it.hasNext() && found.size() < limit) {
        ChurnAlert alert = it.next().value;
        if (minLevel == null || alert.getLevel().ordinal() >= minLevel.ordinal()) {
          found.add(new AlertView(alert.getAlertId(), alert.getCustomerId(), alert.getLevel(), alert.getScore(),
              alert.getRaisedAt(), alert.getReasons().stream().map(StoreRetentionView::reason).toList(),
              List.copyOf(alert.getRecommendedActions()), alert.getValueAtRiskCents()));
        }
      }
    }
    return found;
  }

  private static Reason reason(AlertReason r) {
    return new Reason(r.getSignal(), r.getPoints(), r.getDescription(), List.copyOf(r.getEvidenceEventIds()));
  }

  private ReadOnlyKeyValueStore<String, CustomerRiskState> customers() {
    return store(RiskStores.CUSTOMERS);
  }

  private <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
    return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore()));
  }
}

package org.churnsignals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.churnsignals.schema.AlertReason;
import org.churnsignals.schema.ChurnAlert;
import org.churnsignals.schema.PriceEvent;
import org.churnsignals.schema.ReturnReason;
import org.churnsignals.serde.EventJson;
import org.churnsignals.sources.SignalSources;
import org.churnsignals.state.Purchase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One history, two ways: replayed from a file through the topology without a broker, and produced to a real
 * broker for the live application. A retention agent must get the same alerts either way.
 *
 * <p>Live Kafka Streams passes deadlines after a batch of records, replay after every record; so the history
 * leaves each customer quiet after a deadline of theirs, and late deliveries arrive inside the grace, before
 * their deadline. Live Kafka Streams takes records across topics in time order only among those it has fetched;
 * so the history goes to the broker in one transaction, visible at once on every topic. A price drop meets its
 * buyers after two repartitions; it is sent once the purchase has reached the price detector, as it would be
 * in real time.
 */
class ReplayMatchesLiveIT {

  private static final String PRICE_DROPPED_SKU = "SKU-LAMP";

  private static KafkaBroker broker;
  private static LivePipeline pipeline;
  private static Path workDir;

  @BeforeAll
  static void startThePipeline() throws Exception {
    workDir = Files.createTempDirectory("replay-matches-live");
    broker = KafkaBroker.start(0);
    pipeline = LivePipeline.start(broker, LivePipeline.config(broker, Map.of()));
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
    if (broker != null) {
      broker.close();
    }
    if (workDir != null) {
      LivePipeline.deleteRecursively(workDir);
    }
  }

  /** Four customers' bad weeks: late deliveries, a call not returned, a rejected return, a price drop. */
  private static EventHistory history() {
    EventHistory h = new EventHistory(28, "history");
    double lateInGrace = 1.5 / 24;

    // Three deliveries an hour and a half late, none announced.
    for (int i = 0; i < 3; i++) {
      String order = "O-L" + i;
      h.placed("C-LATE", order, h.day(3 * i), h.day(3 * i + 2), 5_000);
      h.delivered("C-LATE", order, h.day(3 * i + 2 + lateInGrace));
    }

    // Two late deliveries, then a call that rings out and is never returned: the customer's last event.
    for (int i = 0; i < 2; i++) {
      String order = "O-C" + i;
      h.placed("C-CALL", order, h.day(3 * i + 0.1), h.day(3 * i + 2.1), 7_500);
      h.delivered("C-CALL", order, h.day(3 * i + 2.1 + lateInGrace));
    }
    h.callRangOut("C-CALL", "K-1", h.day(7.2));

    // A late delivery, a defective item returned, and the return rejected.
    h.placed("C-RETURN", "O-R0", h.day(0.2), h.day(1.2), 3_000);
    h.delivered("C-RETURN", "O-R0", h.day(1.2 + lateInGrace));
    h.placed("C-RETURN", "O-R1", h.day(1.3), h.day(3.3), 12_900);
    h.delivered("C-RETURN", "O-R1", h.day(3.1));
    h.returnRequested("C-RETURN", "R-1", "O-R1", h.day(4.05), ReturnReason.DEFECTIVE);
    h.returnRejected("C-RETURN", "R-1", "O-R1", h.day(6.05));

    // A lamp bought, two late deliveries, then the lamp's price halves: the customer's last event.
    h.placed("C-PRICE", "O-P0", h.day(1.02), h.day(3.02), 12_000, PRICE_DROPPED_SKU);
    h.delivered("C-PRICE", "O-P0", h.day(2.9));
    for (int i = 1; i <= 2; i++) {
      String order = "O-P" + i;
      h.placed("C-PRICE", order, h.day(3 * i + 1.95), h.day(3 * i + 3.95), 4_000);
      h.delivered("C-PRICE", order, h.day(3 * i + 3.95 + lateInGrace));
    }
    h.priceChanged(PRICE_DROPPED_SKU, h.day(12), 12_000, 6_000);

    // A customer whose order simply arrives.
    h.placed("C-FINE", "O-F0", h.day(2.5), h.day(4.5), 2_500);
    h.delivered("C-FINE", "O-F0", h.day(4.4));
    return h;
  }

  /** What must agree: everything an agent reads in an alert. */
  record AlertSeen(String alertId, String customerId, String level, int score, Instant raisedAt, List<String> reasons) {
    static AlertSeen of(ChurnAlert alert) {
      return new AlertSeen(alert.getAlertId(), alert.getCustomerId(), alert.getLevel().name(), alert.getScore(),
          alert.getRaisedAt(), alert.getReasons().stream().map(AlertSeen::reason).toList());
    }

    private static String reason(AlertReason r) {
      return r.getSignal() + " " + r.getPoints() + " " + r.getDescription() + " " + r.getEvidenceEventIds();
    }
  }

  @Test
  void theLivePipelineRaisesTheAlertsReplayRaises() throws Exception {
    EventHistory history = history();
    Path events = workDir.resolve("history.jsonl");
    history.writeJsonLines(events);

    Replay.Summary summary = new Replay(pipeline.config, SignalSources.standard()).run(events, workDir.resolve("replay"));
    List<AlertSeen> replayed = Files.readAllLines(workDir.resolve("replay").resolve(Replay.ALERTS)).stream()
        .map(line -> AlertSeen.of(EventJson.read(line, ChurnAlert.class)))
        .sorted(Comparator.comparing(AlertSeen::raisedAt).thenComparing(AlertSeen::alertId))
        .toList();
    assertThat(summary.deadLetters()).isZero();
    assertThat(replayed).extracting(AlertSeen::customerId).contains("C-LATE", "C-CALL", "C-RETURN", "C-PRICE");
    assertThat(replayed).flatExtracting(AlertSeen::reasons).anyMatch(r -> r.startsWith("UNANSWERED_CALL"))
        .anyMatch(r -> r.startsWith("DIFFICULT_RETURN")).anyMatch(r -> r.startsWith("PRICE_DROP_AFTER_PURCHASE"))
        .anyMatch(r -> r.startsWith("BROKEN_PROMISE"));

    List<SpecificRecord> inTimeOrder = history.inTimeOrder();
    int priceDrop = inTimeOrder.indexOf(inTimeOrder.stream().filter(e -> e instanceof PriceEvent).findFirst().orElseThrow());
    pipeline.sendInOneTransaction(inTimeOrder.subList(0, priceDrop));
    awaitPurchaseKnownToThePriceDetector();
    pipeline.send(inTimeOrder.subList(priceDrop, inTimeOrder.size()));

    LivePipeline.TopicReader<ChurnAlert> alerts = pipeline.reader(pipeline.config.topics().alerts(), ChurnAlert.class);
    List<AlertSeen> live = alerts.awaitValues(seen -> seen.size() >= replayed.size(), replayed.size() + " alerts").stream()
        .map(AlertSeen::of)
        .sorted(Comparator.comparing(AlertSeen::raisedAt).thenComparing(AlertSeen::alertId))
        .toList();
    assertThat(live).containsExactlyElementsOf(replayed);
    assertThat(alerts.valuesAfter(Duration.ofSeconds(2))).as("alerts after the replayed ones").isEmpty();
  }

  /** The purchase of the lamp has gone from the order through its repartition topic into the price detector's store. */
  private static void awaitPurchaseKnownToThePriceDetector() {
    LivePipeline.eventually(() -> {
      try {
        ReadOnlyKeyValueStore<Bytes, Purchase> purchases = pipeline.app.streams().store(
            StoreQueryParameters.fromNameAndType("recent-purchases", QueryableStoreTypes.keyValueStore()));
        try (KeyValueIterator<Bytes, Purchase> all = purchases.all()) {
          while (all.hasNext()) {
            if (all.next().value.getSku().equals(PRICE_DROPPED_SKU)) {
              return true;
            }
          }
        }
        return false;
      } catch (RuntimeException notQueryableYet) {
        return false;
      }
    }, found -> found, "the purchase of " + PRICE_DROPPED_SKU + " in the price detector's store");
  }
}

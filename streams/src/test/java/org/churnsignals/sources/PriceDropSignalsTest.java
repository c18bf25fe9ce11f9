package org.churnsignals.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.churnsignals.topology.PipelineFixture.T0;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.Topology;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.http.ChurnMetrics;
import org.churnsignals.schema.OrderLine;
import org.churnsignals.schema.Signal;
import org.churnsignals.serde.SchemaRegistries;
import org.churnsignals.topology.ChurnTopology;
import org.churnsignals.topology.PipelineFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PriceDropSignalsTest {

  private static final Duration DAY = Duration.ofDays(1);
  private static final String PRICE_DROP = "PRICE_DROP_AFTER_PURCHASE";
  private final PipelineFixture pipeline = new PipelineFixture();

  @AfterEach
  void close() {
    pipeline.close();
  }

  private Instant day(int n) {
    return T0.plus(DAY.multipliedBy(n));
  }

  /** An order of one unit of SKU-9, delivered long after anything a test looks at. */
  private void bought(String customer, String order, Instant at, long unitPriceCents) {
    pipeline.send(pipeline.placed(customer, order, at, at.plus(DAY.multipliedBy(90)), unitPriceCents, null,
        List.of(new OrderLine("SKU-9", unitPriceCents, 1))));
  }

  private void priceChange(Instant at, long oldCents, long newCents) {
    pipeline.send(pipeline.priceChange("SKU-9", at, oldCents, newCents));
  }

  @Test
  void shouldSignalEveryCustomerWhoPaidMoreWithinTheProtectionWindow() {
    bought("C-1", "O-1", T0, 10_000);
    bought("C-2", "O-2", day(3), 10_000);
    bought("C-3", "O-3", day(4), 9_000);

    priceChange(day(5), 10_000, 8_000);

    assertThat(pipeline.signals()).filteredOn(s -> s.getSignal().equals(PRICE_DROP))
        .extracting(Signal::getCustomerId).containsExactlyInAnyOrder("C-1", "C-2", "C-3");
  }

  @Test
  void shouldNameTheSkuThePricesTheDatesAndTheOrder() {
    bought("C-1", "O-1", T0, 10_000);

    priceChange(day(5), 10_000, 8_000);

    assertThat(pipeline.signals("C-1", PRICE_DROP)).singleElement().satisfies(s -> {
      assertThat(s.getDescription()).isEqualTo(
          "The price of SKU-9 dropped to $80.00 on 7 March, 20% below the $100.00 the customer paid on 2 March (order O-1)");
      // 10 points and half a point per percent of the drop.
      assertThat(s.getPoints()).isEqualTo(20);
      assertThat(s.getOccurredAt()).isEqualTo(day(5));
      assertThat(s.getEvidenceEventIds()).containsExactly("E-1", "E-2");
    });
  }

  @Test
  void shouldWeighADeeperDropMore() {
    bought("C-1", "O-1", T0, 10_000);
    bought("C-2", "O-2", T0, 20_000);

    priceChange(day(5), 20_000, 9_000);

    assertThat(pipeline.signals("C-2", PRICE_DROP).get(0).getPoints())
        .isGreaterThan(pipeline.signals("C-1", PRICE_DROP).get(0).getPoints());
  }

  @Test
  void shouldNotSignalACustomerWhoPaidLessThanTheNewPrice() {
    bought("C-1", "O-1", T0, 7_500);

    priceChange(day(5), 10_000, 8_000);

    assertThat(pipeline.signals("C-1", PRICE_DROP)).isEmpty();
  }

  @Test
  void shouldNotSignalACustomerWhoBoughtBeforeTheProtectionWindow() {
    bought("C-1", "O-1", T0, 10_000);
    bought("C-2", "O-2", day(2), 10_000);

    priceChange(day(15), 10_000, 8_000);

    assertThat(pipeline.signals("C-1", PRICE_DROP)).isEmpty();
    assertThat(pipeline.signals("C-2", PRICE_DROP)).hasSize(1);
  }

  @Test
  void shouldNotSignalADropSmallerThanTheMinimum() {
    bought("C-1", "O-1", T0, 10_000);

    priceChange(day(5), 10_000, 9_600);

    assertThat(pipeline.signals("C-1", PRICE_DROP)).isEmpty();
  }

  @Test
  void shouldSignalAgainWhenThePriceDropsDeeper() {
    bought("C-1", "O-1", T0, 10_000);
    priceChange(day(2), 10_000, 9_000);

    priceChange(day(4), 9_000, 8_000);

    assertThat(pipeline.signals("C-1", PRICE_DROP)).extracting(Signal::getDescription)
        .satisfiesExactly(
            first -> assertThat(first).contains("dropped to $90.00"),
            second -> assertThat(second).contains("dropped to $80.00"));
  }

  @Test
  void shouldNotSignalAgainWhenALaterDropIsShallowerThanOneAlreadySignalled() {
    bought("C-1", "O-1", T0, 10_000);
    priceChange(day(2), 10_000, 8_000);
    priceChange(day(3), 8_000, 9_500);

    priceChange(day(4), 9_500, 8_500);

    assertThat(pipeline.signals("C-1", PRICE_DROP)).hasSize(1);
  }

  @Test
  void shouldDoNothingWhenThePriceRises() {
    bought("C-1", "O-1", T0, 10_000);

    priceChange(day(2), 10_000, 12_000);

    assertThat(pipeline.signals("C-1")).isEmpty();
  }

  @Test
  void shouldOnlySignalTheProductWhosePriceDropped() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, day(90), 10_000, null, List.of(new OrderLine("SKU-1", 10_000L, 1))));

    priceChange(day(2), 10_000, 5_000);

    assertThat(pipeline.signals("C-1")).isEmpty();
  }

  @Test
  void shouldRekeyPurchasesBySkuAndSignalsByCustomerThroughNamedRepartitionTopics() {
    ChurnConfig config = ChurnConfig.defaults().with("schema.registry.url", "mock://price-drop-topology");
    Topology topology = ChurnTopology.build(config, ChurnMetrics.inMemory(), SchemaRegistries.forUrl(config.schemaRegistryUrl()),
        SignalSources.standard());

    String description = topology.describe().toString();

    assertThat(description).contains("purchases-by-sku-repartition").contains("price-drops-by-customer-repartition");
  }
}

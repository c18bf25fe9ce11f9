package org.churnsignals.sources;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.OrderEventType;
import org.churnsignals.schema.OrderLine;
import org.churnsignals.schema.PriceEvent;
import org.churnsignals.schema.Signal;
import org.churnsignals.state.Purchase;

/**
 * Prices joined with purchases: a price drop fans out to every customer who paid more for that product
 * inside the price-protection window. Prices are keyed by sku and customers by id, so purchases are
 * re-keyed by sku on the way in and the signals re-keyed by customer on the way out.
 */
public final class PriceDropSignals implements SignalSource {

  public static final String PRICE_DROP_AFTER_PURCHASE = "PRICE_DROP_AFTER_PURCHASE";
  static final String PURCHASES_STORE = "recent-purchases";
  static final String DEADLINES_STORE = "purchase-expiry";

  @Override
  public List<SignalKind> kinds() {
    return List.of(new SignalKind(PRICE_DROP_AFTER_PURCHASE, "Refund the price difference."));
  }

  @Override
  public KStream<String, Signal> signals(SourceContext context) {
    context.builder().addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(PURCHASES_STORE), Serdes.Bytes(), context.internalSerde(Purchase.class)));
    context.builder().addStateStore(DeadlineIndex.storeBuilder(DEADLINES_STORE));

    KStream<String, SpecificRecord> purchases = OrderSignals.orders(context)
        .flatMap(PriceDropSignals::purchasesOf, Named.as("order-lines-by-sku"))
        .repartition(Repartitioned.with(Serdes.String(), context.internalSerde(Purchase.class)).withName("purchases-by-sku"))
        .mapValues(p -> (SpecificRecord) p, Named.as("purchases"));
    KStream<String, SpecificRecord> prices = context
        .events("prices", context.config().topics().prices(), PriceEvent.class, PriceEvent::getSku, PriceDropSignals::problem)
        .mapValues(p -> (SpecificRecord) p, Named.as("price-changes"));

    return purchases
        .merge(prices, Named.as("purchases-and-prices"))
        .process(() -> new PriceProtectionDetector(context.config()), Named.as("price-protection-detector"),
            PURCHASES_STORE, DEADLINES_STORE)
        .repartition(Repartitioned.with(Serdes.String(), context.internalSerde(Signal.class)).withName("price-drops-by-customer"));
  }

  private static List<KeyValue<String, Purchase>> purchasesOf(String customerId, OrderEvent order) {
    if (order.getType() != OrderEventType.PLACED) {
      return List.of();
    }
    List<KeyValue<String, Purchase>> purchases = new ArrayList<>(order.getLines().size());
    for (OrderLine line : order.getLines()) {
      purchases.add(KeyValue.pair(line.getSku(), Purchase.newBuilder()
          .setSku(line.getSku())
          .setCustomerId(customerId)
          .setOrderId(order.getOrderId())
          .setEventId(order.getEventId())
          .setUnitPriceCents(line.getUnitPriceCents())
          .setPurchasedAt(order.getOccurredAt().toEpochMilli())
          .build()));
    }
    return purchases;
  }

  static EventCheck.Problem problem(PriceEvent price) {
    if (price.getSku().isBlank()) {
      return EventCheck.Problem.missing("sku", "price");
    }
    if (price.getOldPriceCents() < 0) {
      return EventCheck.Problem.invalid("oldPriceCents", price.getOldPriceCents(), "must not be negative");
    }
    if (price.getNewPriceCents() < 0) {
      return EventCheck.Problem.invalid("newPriceCents", price.getNewPriceCents(), "must not be negative");
    }
    return null;
  }

  /** Keys of the purchases store: sku, then purchase time, so one range read finds a window's buyers. */
  static Bytes purchaseKey(String sku, long purchasedAt, String orderId) {
    byte[] skuBytes = sku.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] order = orderId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return Bytes.wrap(java.nio.ByteBuffer.allocate(skuBytes.length + 1 + Long.BYTES + order.length)
        .put(skuBytes).put((byte) 0).putLong(Math.max(0, purchasedAt)).put(order).array());
  }
}

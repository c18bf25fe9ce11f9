package org.churnsignals.sources;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.schema.PriceEvent;
import org.churnsignals.schema.Signal;
import org.churnsignals.state.Purchase;

/**
 * Keeps each product's purchases for the price-protection window and, when its price drops, raises a
 * signal for every buyer who paid more than the new price by at least the minimum drop. A later, deeper
 * drop signals again; a shallower one does not.
 */
final class PriceProtectionDetector extends SignalDetector<SpecificRecord> {

  private final ChurnConfig.PriceRules rules;
  private final Phrases phrases;
  private KeyValueStore<Bytes, Purchase> purchases;

  PriceProtectionDetector(ChurnConfig config) {
    super(PriceDropSignals.DEADLINES_STORE, config.wallClockInterval());
    this.rules = config.prices();
    this.phrases = new Phrases(config.display());
  }

  @Override
  protected void openStores(ProcessorContext<String, Signal> context) {
    purchases = context.getStateStore(PriceDropSignals.PURCHASES_STORE);
  }

  @Override
  protected void onEvent(String sku, SpecificRecord event) {
    if (event instanceof Purchase purchase) {
      purchases.put(PriceDropSignals.purchaseKey(purchase.getSku(), purchase.getPurchasedAt(), purchase.getOrderId()), purchase);
      deadlines.schedule(purchase.getPurchasedAt() + rules.protectionWindow().toMillis(), expiryId(purchase));
    } else if (event instanceof PriceEvent price && price.getNewPriceCents() < price.getOldPriceCents()) {
      priceDropped(price);
    }
  }

  private void priceDropped(PriceEvent price) {
    long at = price.getOccurredAt().toEpochMilli();
    long newPrice = price.getNewPriceCents();
    Bytes from = PriceDropSignals.purchaseKey(price.getSku(), at - rules.protectionWindow().toMillis(), "");
    Bytes to = PriceDropSignals.purchaseKey(price.getSku(), at + 1, "");
    List<KeyValue<Bytes, Purchase>> signalled = new ArrayList<>();
    try (KeyValueIterator<Bytes, Purchase> it = purchases.range(from, to)) {
      while (it.hasNext()) {
        KeyValue<Bytes, Purchase> entry = it.next();
        Purchase purchase = entry.value;
        long paid = purchase.getUnitPriceCents();
        long lowest = purchase.getLowestSignalledPriceCents();
        double drop = paid == 0 ? 0 : (double) (paid - newPrice) / paid;
        if (purchase.getPurchasedAt() > at || drop < rules.minDrop() || (lowest != 0 && newPrice >= lowest)) {
          continue;
        }
        int points = (int) Math.min(rules.maxPoints(), Math.round(rules.points() + rules.pointsPerPercent() * drop * 100));
        raise(Signals.of(purchase.getCustomerId(), PriceDropSignals.PRICE_DROP_AFTER_PURCHASE, points, price.getOccurredAt(),
            "The price of " + purchase.getSku() + " dropped to " + phrases.money(newPrice) + " on "
                + phrases.day(price.getOccurredAt()) + ", " + Phrases.percent(drop) + " below the " + phrases.money(paid)
                + " the customer paid on " + phrases.day(Instant.ofEpochMilli(purchase.getPurchasedAt()))
                + " (order " + purchase.getOrderId() + ")",
            purchase.getEventId(), price.getEventId()));
        purchase.setLowestSignalledPriceCents(newPrice);
        signalled.add(entry);
      }
    }
    signalled.forEach(entry -> purchases.put(entry.key, entry.value));
  }

  @Override
  protected void onDeadline(String id, long at) {
    String[] parts = id.split("\u0000", 3);
    purchases.delete(PriceDropSignals.purchaseKey(parts[0], Long.parseLong(parts[1]), parts[2]));
  }

  private static String expiryId(Purchase purchase) {
    return purchase.getSku() + "\u0000" + purchase.getPurchasedAt() + "\u0000" + purchase.getOrderId();
  }
}

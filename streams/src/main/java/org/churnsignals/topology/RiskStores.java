package org.churnsignals.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;
import org.churnsignals.schema.RiskLevel;

/**
 * Names and key layouts of the stores the risk tracker keeps and the retention API reads. The names are
 * part of the application's state on disk and in changelog topics: they do not change between releases.
 */
public final class RiskStores {

  /** customerId -> CustomerRiskState. */
  public static final String CUSTOMERS = "customer-risk-state";
  /** Customers at ELEVATED or above, ordered by level then score, highest first -> valueAtRiskCents. */
  public static final String AT_RISK = "at-risk-index";
  /** Alerts ordered by the time raised -> ChurnAlert. */
  public static final String ALERTS = "alerts-by-time";
  /** When each customer's fading risk is next looked at. */
  public static final String REVIEWS = "risk-reviews";

  private RiskStores() {}

  /** Highest level first, then highest score: a forward range read lists the riskiest customers first. */
  public static Bytes atRiskKey(RiskLevel level, int score, String customerId) {
    byte[] id = customerId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(2 + id.length)
        .put((byte) (RiskLevel.CRITICAL.ordinal() - level.ordinal()))
        .put((byte) (100 - score))
        .put(id)
        .array());
  }

  public static RiskLevel levelOfAtRiskKey(Bytes key) {
    return RiskLevel.values()[RiskLevel.CRITICAL.ordinal() - key.get()[0]];
  }

  public static int scoreOfAtRiskKey(Bytes key) {
    return 100 - key.get()[1];
  }

  public static String customerOfAtRiskKey(Bytes key) {
    byte[] bytes = key.get();
    return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_8);
  }

  /** The first key of a level's band, for range reads starting at a level. */
  public static Bytes atRiskLevelStart(RiskLevel level) {
    return Bytes.wrap(new byte[] {(byte) (RiskLevel.CRITICAL.ordinal() - level.ordinal())});
  }

  /** Time first, so reads by time are range reads and old alerts are removed from the front. */
  public static Bytes alertKey(long raisedAt, String alertId) {
    byte[] id = alertId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + id.length).putLong(Math.max(0, raisedAt)).put(id).array());
  }

  public static Bytes alertTimeBound(long at) {
    return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(Math.max(0, at)).array());
  }
}

package org.churnsignals.sources;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Things that must happen by a time (a delivery, a response, a refund), ordered by that time. Keys start
 * with the big-endian deadline, so finding what is due reads only the due entries, never the whole store.
 *
 * <p>Reads start where the previous one ended, not at the beginning of time: RocksDB keeps a deleted key
 * as a tombstone until compaction, and a queue that always reads from its front would step over every
 * entry it ever took.
 */
public final class DeadlineIndex {

  private static final int BATCH = 1_000;

  private final KeyValueStore<Bytes, byte[]> store;
  /** Every entry due at or before this time has been taken; -1 until the first read. */
  private long takenUpTo = -1;

  public DeadlineIndex(KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  public static StoreBuilder<KeyValueStore<Bytes, byte[]>> storeBuilder(String name) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray());
  }

  public record Due(long at, String id) {}

  public void schedule(long at, String id) {
    store.put(key(at, id), new byte[0]);
    if (at <= takenUpTo) {
      // Already due when scheduled (a late event): the next read must reach back to it.
      takenUpTo = Math.max(-1, at - 1);
    }
  }

  public void cancel(long at, String id) {
    store.delete(key(at, id));
  }

  /**
   * Hands every entry due at or before {@code now} to {@code onDue}, earliest first, in batches; entries
   * that {@code onDue} schedules and that are already due are handed on in the same pass.
   */
  public void passDue(long now, Consumer<Due> onDue) {
    List<Due> due;
    do {
      due = takeDue(now, BATCH);
      due.forEach(onDue);
    } while (!due.isEmpty());
  }

  /** Removes and returns, earliest first, at most {@code max} entries due at or before {@code now}. */
  public List<Due> takeDue(long now, int max) {
    List<Due> due = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.range(key(takenUpTo + 1, ""), key(Math.max(0, now + 1), ""))) {
      while (it.hasNext() && due.size() < max) {
        KeyValue<Bytes, byte[]> entry = it.next();
        ByteBuffer buffer = ByteBuffer.wrap(entry.key.get());
        long at = buffer.getLong();
        if (at > now) {
          break;
        }
        due.add(new Due(at, StandardCharsets.UTF_8.decode(buffer).toString()));
      }
    }
    due.forEach(d -> store.delete(key(d.at(), d.id())));
    // A full batch may leave more entries at the last time taken; read that time again next.
    takenUpTo = due.size() < max ? Math.max(takenUpTo, now) : Math.max(takenUpTo, due.get(due.size() - 1).at() - 1);
    return due;
  }

  private static Bytes key(long at, String id) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + idBytes.length).putLong(Math.max(0, at)).put(idBytes).array());
  }
}

package org.churnsignals.sources;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class DeadlineIndexTest {

  private final DeadlineIndex deadlines = new DeadlineIndex(store());

  private static KeyValueStore<Bytes, byte[]> store() {
    KeyValueStore<Bytes, byte[]> store = Stores
        .keyValueStoreBuilder(Stores.inMemoryKeyValueStore("deadlines"), Serdes.Bytes(), Serdes.ByteArray())
        .withLoggingDisabled()
        .build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    return store;
  }

  @Test
  void takesWhatIsDueEarliestFirstAndLeavesTheRest() {
    deadlines.schedule(300, "O-3");
    deadlines.schedule(100, "O-1");
    deadlines.schedule(200, "O-2");

    assertThat(deadlines.takeDue(250, 10)).extracting(DeadlineIndex.Due::id).containsExactly("O-1", "O-2");
    assertThat(deadlines.takeDue(250, 10)).isEmpty();
    assertThat(deadlines.takeDue(300, 10)).extracting(DeadlineIndex.Due::id).containsExactly("O-3");
  }

  @Test
  void aCancelledDeadlineIsNeverTaken() {
    deadlines.schedule(100, "O-1");
    deadlines.cancel(100, "O-1");

    assertThat(deadlines.takeDue(1_000, 10)).isEmpty();
  }

  @Test
  void aDeadlineScheduledInThePastAfterAReadIsStillTaken() {
    deadlines.takeDue(1_000, 10);

    deadlines.schedule(500, "O-late");

    assertThat(deadlines.takeDue(1_000, 10)).extracting(DeadlineIndex.Due::id).containsExactly("O-late");
  }

  @Test
  void aFullBatchLeavesTheRestForTheNextRead() {
    deadlines.schedule(100, "A");
    deadlines.schedule(100, "B");
    deadlines.schedule(100, "C");

    assertThat(deadlines.takeDue(100, 2)).extracting(DeadlineIndex.Due::id).containsExactly("A", "B");
    assertThat(deadlines.takeDue(100, 2)).extracting(DeadlineIndex.Due::id).containsExactly("C");
  }
}

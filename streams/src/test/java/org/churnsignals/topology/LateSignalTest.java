package org.churnsignals.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.churnsignals.topology.PipelineFixture.T0;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.churnsignals.schema.CustomerRisk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A signal can reach a customer's risk after a later event of theirs: a deadline passes only after the record
 * that moved time past it, and a price drop comes through two repartition topics. Time never runs backwards.
 */
class LateSignalTest {

  private static final Duration DAY = Duration.ofDays(1);
  private final PipelineFixture pipeline = new PipelineFixture();

  @AfterEach
  void close() {
    pipeline.close();
  }

  @Test
  void shouldKeepTheRiskDatedAtTheCustomersLatestEventWhenAnOlderSignalArrivesAfterIt() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, T0.plus(DAY.multipliedBy(3)), 5_000));
    // The next order passes the first one's deadline: the order is counted first, the missed promise after it.
    Instant secondOrder = T0.plus(DAY.multipliedBy(5));
    pipeline.send(pipeline.placed("C-1", "O-2", secondOrder, secondOrder.plus(DAY.multipliedBy(3)), 5_000));

    assertThat(pipeline.signals("C-1", "BROKEN_PROMISE")).hasSize(1);
    List<Instant> updated = pipeline.risks().stream()
        .filter(r -> r.getCustomerId().equals("C-1")).map(CustomerRisk::getUpdatedAt).toList();
    assertThat(updated).isSorted().last().isEqualTo(secondOrder);
    assertThat(pipeline.state("C-1").getRisk().getUpdatedAt()).isEqualTo(secondOrder);
    // Faded from the deadline (day 3 plus the 2 h grace) to the customer's latest event (day 5), not counted fresh.
    assertThat(pipeline.state("C-1").getRisk().getScore()).isLessThan(25);
  }
}

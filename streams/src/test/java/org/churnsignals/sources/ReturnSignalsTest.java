package org.churnsignals.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.churnsignals.topology.PipelineFixture.T0;

import java.time.Duration;
import java.time.Instant;
import org.churnsignals.schema.ReturnEventType;
import org.churnsignals.schema.ReturnReason;
import org.churnsignals.schema.Signal;
import org.churnsignals.topology.PipelineFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReturnSignalsTest {

  private static final Duration DAY = Duration.ofDays(1);
  private final PipelineFixture pipeline = new PipelineFixture();

  @AfterEach
  void close() {
    pipeline.close();
  }

  private Instant day(int n) {
    return T0.plus(DAY.multipliedBy(n));
  }

  private void requested(String customer, Instant at, ReturnReason reason) {
    pipeline.send(pipeline.returnRequested(customer, "R-1", "O-1", at, reason));
  }

  // --- DIFFICULT_RETURN ----------------------------------------------------------------------------

  @Test
  void shouldRaiseDifficultReturnWhenAReturnIsRejected() {
    requested("C-1", T0, ReturnReason.NO_LONGER_NEEDED);
    pipeline.send(pipeline.returnEvent(ReturnEventType.REJECTED, "C-1", "R-1", "O-1", day(2)));

    assertThat(pipeline.signals("C-1")).singleElement().satisfies(s -> {
      assertThat(s.getSignal()).isEqualTo("DIFFICULT_RETURN");
      assertThat(s.getPoints()).isEqualTo(20);
      assertThat(s.getDescription()).isEqualTo("Return R-1 for order O-1 was rejected");
      assertThat(s.getEvidenceEventIds()).containsExactly("E-1", "E-2");
    });
  }

  @Test
  void shouldRaiseDifficultReturnWhenAFeeIsKeptFromTheRefund() {
    requested("C-1", T0, ReturnReason.NO_LONGER_NEEDED);
    pipeline.send(pipeline.refunded("C-1", "R-1", "O-1", day(3), 4_000, 1_000));

    assertThat(pipeline.signals("C-1")).singleElement().satisfies(s -> {
      assertThat(s.getSignal()).isEqualTo("DIFFICULT_RETURN");
      assertThat(s.getDescription()).isEqualTo("A fee of $10.00 was kept from the refund of return R-1 for order O-1 ($40.00 refunded)");
      assertThat(s.getEvidenceEventIds()).containsExactly("E-1", "E-2");
    });
  }

  @Test
  void shouldWeighALargerFeeMore() {
    pipeline.send(pipeline.returnRequested("C-1", "R-1", "O-1", T0, ReturnReason.NO_LONGER_NEEDED));
    pipeline.send(pipeline.refunded("C-1", "R-1", "O-1", day(3), 9_500, 500));
    pipeline.send(pipeline.returnRequested("C-2", "R-2", "O-2", T0, ReturnReason.NO_LONGER_NEEDED));
    pipeline.send(pipeline.refunded("C-2", "R-2", "O-2", day(3), 6_000, 4_000));

    assertThat(pipeline.signals("C-2").get(0).getPoints()).isGreaterThan(pipeline.signals("C-1").get(0).getPoints());
  }

  @Test
  void shouldRaiseDifficultReturnWhenTheRefundComesAfterTheReturnPolicy() {
    requested("C-1", T0, ReturnReason.NO_LONGER_NEEDED);
    pipeline.send(pipeline.refunded("C-1", "R-1", "O-1", day(17), 5_000, 0));

    assertThat(pipeline.signals("C-1")).singleElement().satisfies(s -> {
      assertThat(s.getSignal()).isEqualTo("DIFFICULT_RETURN");
      assertThat(s.getDescription()).isEqualTo("Return R-1 for order O-1 took 17 days to refund, longer than the return policy of 14 days");
      // 3 days over the policy: 10 points and 1 a day.
      assertThat(s.getPoints()).isEqualTo(13);
      assertThat(s.getOccurredAt()).isEqualTo(day(17));
    });
  }

  @Test
  void shouldRaiseDifficultReturnWhenTheReturnPolicyPassesWithNoRefund() {
    requested("C-1", T0, ReturnReason.NO_LONGER_NEEDED);
    pipeline.passTime(day(14).minus(Duration.ofMinutes(1)));
    assertThat(pipeline.signals("C-1")).isEmpty();

    pipeline.passTime(day(14).plus(Duration.ofMinutes(1)));

    assertThat(pipeline.signals("C-1")).singleElement().satisfies(s -> {
      assertThat(s.getSignal()).isEqualTo("DIFFICULT_RETURN");
      assertThat(s.getDescription())
          .isEqualTo("Return R-1 for order O-1, requested on 2 March, has not been refunded within the 14 days of the return policy");
      assertThat(s.getOccurredAt()).isEqualTo(day(14));
      assertThat(s.getEvidenceEventIds()).containsExactly("E-1");
    });
  }

  @Test
  void shouldFlagAReturnWithNoRefundByTheWallClockWhenTheCustomerIsQuiet() {
    Instant now = Instant.parse("2026-11-01T00:00:00Z");
    requested("C-1", now, ReturnReason.NO_LONGER_NEEDED);
    pipeline.advanceWallClock(DAY.multipliedBy(13));
    assertThat(pipeline.signals("C-1")).isEmpty();

    pipeline.advanceWallClock(DAY.multipliedBy(2));

    assertThat(pipeline.signals("C-1", "DIFFICULT_RETURN")).singleElement()
        .satisfies(s -> assertThat(s.getOccurredAt()).isEqualTo(now.plus(DAY.multipliedBy(14))));
  }

  @Test
  void shouldNotRaiseASecondSignalWhenTheLateRefundFinallyComes() {
    requested("C-1", T0, ReturnReason.NO_LONGER_NEEDED);
    pipeline.passTime(day(15));
    pipeline.send(pipeline.refunded("C-1", "R-1", "O-1", day(20), 5_000, 0));
    pipeline.passTime(day(70));

    assertThat(pipeline.signals("C-1", "DIFFICULT_RETURN")).hasSize(1);
  }

  @Test
  void shouldRaiseNothingForAnEasyReturn() {
    requested("C-1", T0, ReturnReason.NO_LONGER_NEEDED);
    pipeline.send(pipeline.returnEvent(ReturnEventType.APPROVED, "C-1", "R-1", "O-1", day(1)));
    pipeline.send(pipeline.refunded("C-1", "R-1", "O-1", day(5), 5_000, 0));
    pipeline.passTime(day(70));

    assertThat(pipeline.signals("C-1")).isEmpty();
  }

  // --- DEFECTIVE_PRODUCT ---------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(value = ReturnReason.class, names = {"DEFECTIVE", "WRONG_ITEM", "NOT_AS_DESCRIBED"})
  void shouldRaiseDefectiveProductWhenTheItemItselfWasWrong(ReturnReason reason) {
    requested("C-1", T0, reason);

    assertThat(pipeline.signals("C-1")).singleElement().satisfies(s -> {
      assertThat(s.getSignal()).isEqualTo("DEFECTIVE_PRODUCT");
      assertThat(s.getPoints()).isPositive();
      assertThat(s.getDescription()).startsWith("The customer is returning order O-1 because the ").endsWith(" (return R-1)");
      assertThat(s.getEvidenceEventIds()).containsExactly("E-1");
    });
  }

  @Test
  void shouldSayWhatWasWrongWithTheItem() {
    requested("C-1", T0, ReturnReason.WRONG_ITEM);

    assertThat(pipeline.signals("C-1")).extracting(Signal::getDescription)
        .containsExactly("The customer is returning order O-1 because the wrong item was sent (return R-1)");
  }

  @ParameterizedTest
  @EnumSource(value = ReturnReason.class, names = {"NO_LONGER_NEEDED", "OTHER"})
  void shouldNotRaiseDefectiveProductWhenTheCustomerSimplyChangedTheirMind(ReturnReason reason) {
    requested("C-1", T0, reason);

    assertThat(pipeline.signals("C-1")).isEmpty();
  }
}

package org.churnsignals.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.churnsignals.topology.PipelineFixture.T0;

import java.time.Duration;
import java.time.Instant;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.http.ChurnMetrics;
import org.churnsignals.schema.ContactChannel;
import org.churnsignals.schema.ContactEvent;
import org.churnsignals.schema.ContactEventType;
import org.churnsignals.schema.OrderEventType;
import org.churnsignals.schema.Signal;
import org.churnsignals.topology.PipelineFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** T0 is Monday 2 March 2026, 10:00 UTC: inside the default business hours (Monday to Friday, 08:00 to 18:00 UTC). */
class ContactSignalsTest {

  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Instant SATURDAY_AFTERNOON = Instant.parse("2026-03-07T14:00:00Z");

  private PipelineFixture pipeline = new PipelineFixture();

  @AfterEach
  void close() {
    pipeline.close();
  }

  private Instant at(Duration afterT0) {
    return T0.plus(afterT0);
  }

  private void send(ContactEventType type, String customer, String contact, ContactChannel channel, Instant at) {
    pipeline.send(pipeline.contact(type, customer, contact, channel, at));
  }

  private void openedWithPromise(String customer, String contact, ContactChannel channel, Instant at, Instant dueBy) {
    ContactEvent opened = pipeline.contact(ContactEventType.OPENED, customer, contact, channel, at);
    opened.setResponseDueBy(dueBy);
    pipeline.send(opened);
  }

  private void useConfig(ChurnConfig config) {
    pipeline.close();
    pipeline = new PipelineFixture(config);
  }

  // --- SLOW_RESPONSE -------------------------------------------------------------------------------

  @Test
  void shouldRaiseSlowResponseWhenTheFirstAnswerComesAfterTheDueTime() {
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.EMAIL, T0);
    send(ContactEventType.RESPONDED, "C-1", "K-1", ContactChannel.EMAIL, at(HOUR.multipliedBy(30)));

    assertThat(pipeline.signals("C-1")).singleElement().satisfies(s -> {
      assertThat(s.getSignal()).isEqualTo("SLOW_RESPONSE");
      assertThat(s.getDescription())
          .isEqualTo("The e-mail contact K-1 of 2 March at 10:00 was answered 6 hours after the expected response time");
      // 6 hours late on a 24-hour due time: a quarter of the way from 8 to 20 points.
      assertThat(s.getPoints()).isEqualTo(11);
      assertThat(s.getOccurredAt()).isEqualTo(at(HOUR.multipliedBy(30)));
      assertThat(s.getEvidenceEventIds()).containsExactly("E-1", "E-2");
    });
  }

  @Test
  void shouldRaiseNothingForAnAnswerWithinTheDueTime() {
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.EMAIL, T0);
    send(ContactEventType.RESPONDED, "C-1", "K-1", ContactChannel.EMAIL, at(HOUR.multipliedBy(20)));
    pipeline.passTime(at(Duration.ofDays(5)));

    assertThat(pipeline.signals("C-1")).isEmpty();
  }

  @Test
  void shouldWeighASlowResponseMoreTheLaterItComes() {
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.EMAIL, T0);
    send(ContactEventType.OPENED, "C-2", "K-2", ContactChannel.EMAIL, T0);
    send(ContactEventType.RESPONDED, "C-1", "K-1", ContactChannel.EMAIL, at(HOUR.multipliedBy(26)));
    send(ContactEventType.RESPONDED, "C-2", "K-2", ContactChannel.EMAIL, at(HOUR.multipliedBy(44)));

    Signal twoHoursLate = pipeline.signals("C-1", "SLOW_RESPONSE").get(0);
    Signal twentyHoursLate = pipeline.signals("C-2", "SLOW_RESPONSE").get(0);
    assertThat(twentyHoursLate.getPoints()).isGreaterThan(twoHoursLate.getPoints());
  }

  @Test
  void shouldWeighSlownessPastAPromisedResponseTimeMoreThanPastTheChannelDefault() {
    openedWithPromise("C-1", "K-1", ContactChannel.EMAIL, T0, at(HOUR.multipliedBy(24)));
    send(ContactEventType.OPENED, "C-2", "K-2", ContactChannel.EMAIL, T0);
    send(ContactEventType.RESPONDED, "C-1", "K-1", ContactChannel.EMAIL, at(HOUR.multipliedBy(30)));
    send(ContactEventType.RESPONDED, "C-2", "K-2", ContactChannel.EMAIL, at(HOUR.multipliedBy(30)));

    Signal promised = pipeline.signals("C-1", "SLOW_RESPONSE").get(0);
    Signal channelDefault = pipeline.signals("C-2", "SLOW_RESPONSE").get(0);
    assertThat(promised.getPoints()).isGreaterThan(channelDefault.getPoints());
    assertThat(promised.getDescription()).endsWith("after the response time promised to the customer");
    assertThat(channelDefault.getDescription()).endsWith("after the expected response time");
  }

  @Test
  void shouldJudgeAnAnswerAgainstThePromiseTheCustomerWasGivenRatherThanTheChannelDefault() {
    openedWithPromise("C-1", "K-1", ContactChannel.EMAIL, T0, at(HOUR.multipliedBy(4)));
    send(ContactEventType.RESPONDED, "C-1", "K-1", ContactChannel.EMAIL, at(HOUR.multipliedBy(6)));

    assertThat(pipeline.signals("C-1", "SLOW_RESPONSE")).singleElement()
        .satisfies(s -> assertThat(s.getDescription()).contains("was answered 2 hours after the response time promised"));
  }

  @Test
  void shouldJudgeAnAnswerAgainstTheConfiguredDefaultOfItsChannel() {
    useConfig(ChurnConfig.defaults().with("contacts.response-due.chat", "30m"));
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.CHAT, T0);
    send(ContactEventType.RESPONDED, "C-1", "K-1", ContactChannel.CHAT, at(MINUTE.multipliedBy(20)));
    send(ContactEventType.OPENED, "C-2", "K-2", ContactChannel.CHAT, T0);
    send(ContactEventType.RESPONDED, "C-2", "K-2", ContactChannel.CHAT, at(MINUTE.multipliedBy(40)));
    send(ContactEventType.OPENED, "C-3", "K-3", ContactChannel.PHONE, T0);
    send(ContactEventType.RESPONDED, "C-3", "K-3", ContactChannel.PHONE, at(MINUTE.multipliedBy(7)));

    assertThat(pipeline.signals("C-1")).isEmpty();
    assertThat(pipeline.signals("C-2", "SLOW_RESPONSE")).singleElement()
        .satisfies(s -> assertThat(s.getDescription()).contains("answered 10 minutes after"));
    assertThat(pipeline.signals("C-3", "SLOW_RESPONSE")).singleElement()
        .satisfies(s -> assertThat(s.getDescription()).contains("The phone contact K-3").contains("answered 2 minutes after"));
  }

  // --- UNANSWERED_CALL -----------------------------------------------------------------------------

  @Test
  void shouldRaiseUnansweredCallWhenAnAbandonedCallIsNotReturnedWithinTheCallbackWindow() {
    send(ContactEventType.ABANDONED, "C-1", "K-1", ContactChannel.PHONE, T0);
    pipeline.passTime(at(HOUR.multipliedBy(4).minus(MINUTE)));
    assertThat(pipeline.signals("C-1")).isEmpty();

    pipeline.passTime(at(HOUR.multipliedBy(4).plus(MINUTE)));

    assertThat(pipeline.signals("C-1")).singleElement().satisfies(s -> {
      assertThat(s.getSignal()).isEqualTo("UNANSWERED_CALL");
      assertThat(s.getDescription())
          .isEqualTo("A call from the customer on 2 March at 10:00 rang out and was not returned within 4 hours");
      assertThat(s.getOccurredAt()).isEqualTo(at(HOUR.multipliedBy(4)));
      assertThat(s.getEvidenceEventIds()).containsExactly("E-1");
    });
  }

  @Test
  void shouldRaiseNothingForACallReturnedWithinTheCallbackWindow() {
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.PHONE, T0);
    send(ContactEventType.ABANDONED, "C-1", "K-1", ContactChannel.PHONE, at(MINUTE.multipliedBy(2)));
    send(ContactEventType.RESPONDED, "C-1", "K-1", ContactChannel.PHONE, at(MINUTE.multipliedBy(40)));
    pipeline.passTime(at(Duration.ofDays(2)));

    assertThat(pipeline.signals("C-1")).isEmpty();
  }

  @Test
  void shouldGiveACallThatRangOutTheCallbackWindowEvenWhenItsOpeningArrivesAfterIt() {
    send(ContactEventType.ABANDONED, "C-1", "K-1", ContactChannel.PHONE, T0);
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.PHONE, T0);
    pipeline.passTime(at(MINUTE.multipliedBy(30)));
    send(ContactEventType.RESPONDED, "C-1", "K-1", ContactChannel.PHONE, at(HOUR));
    pipeline.passTime(at(Duration.ofDays(1)));

    assertThat(pipeline.signals("C-1")).isEmpty();
  }

  @Test
  void shouldRaiseUnansweredCallForAContactWithNoResponseByTwiceItsDueTime() {
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.EMAIL, T0);
    pipeline.passTime(at(HOUR.multipliedBy(47)));
    assertThat(pipeline.signals("C-1")).isEmpty();

    pipeline.passTime(at(HOUR.multipliedBy(49)));

    assertThat(pipeline.signals("C-1")).singleElement().satisfies(s -> {
      assertThat(s.getSignal()).isEqualTo("UNANSWERED_CALL");
      assertThat(s.getDescription()).isEqualTo(
          "The e-mail contact K-1 of 2 March at 10:00 has had no response for 2 days, twice the expected response time");
      assertThat(s.getOccurredAt()).isEqualTo(at(HOUR.multipliedBy(48)));
      assertThat(s.getEvidenceEventIds()).containsExactly("E-1");
    });
  }

  @Test
  void shouldFlagAnUnansweredContactByTheWallClockWhenTheCustomerIsQuiet() {
    Instant now = Instant.parse("2026-11-01T00:00:00Z");
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.CHAT, now);
    pipeline.advanceWallClock(Duration.ofMinutes(9));
    assertThat(pipeline.signals("C-1")).isEmpty();

    pipeline.advanceWallClock(Duration.ofMinutes(2));

    assertThat(pipeline.signals("C-1", "UNANSWERED_CALL")).singleElement()
        .satisfies(s -> assertThat(s.getOccurredAt()).isEqualTo(now.plus(Duration.ofMinutes(10))));
  }

  @Test
  void shouldFlagANotReturnedCallByTheWallClockWhenTheCustomerIsQuiet() {
    Instant now = Instant.parse("2026-11-01T00:00:00Z");
    send(ContactEventType.ABANDONED, "C-1", "K-1", ContactChannel.PHONE, now);
    pipeline.advanceWallClock(Duration.ofHours(3));
    assertThat(pipeline.signals("C-1")).isEmpty();

    pipeline.advanceWallClock(Duration.ofHours(2));

    assertThat(pipeline.signals("C-1", "UNANSWERED_CALL")).hasSize(1);
  }

  @Test
  void shouldNotRaiseSlowResponseWhenAContactFlaggedUnansweredIsFinallyAnswered() {
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.EMAIL, T0);
    pipeline.passTime(at(HOUR.multipliedBy(49)));
    send(ContactEventType.RESPONDED, "C-1", "K-1", ContactChannel.EMAIL, at(HOUR.multipliedBy(50)));
    pipeline.passTime(at(Duration.ofDays(5)));

    assertThat(pipeline.signals("C-1")).extracting(Signal::getSignal).containsExactly("UNANSWERED_CALL");
  }

  @Test
  void shouldNotRaiseSlowResponseWhenACallFlaggedUnansweredIsFinallyReturned() {
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.PHONE, T0);
    send(ContactEventType.ABANDONED, "C-1", "K-1", ContactChannel.PHONE, at(MINUTE.multipliedBy(2)));
    pipeline.passTime(at(HOUR.multipliedBy(5)));
    send(ContactEventType.RESPONDED, "C-1", "K-1", ContactChannel.PHONE, at(HOUR.multipliedBy(6)));
    pipeline.passTime(at(Duration.ofDays(5)));

    assertThat(pipeline.signals("C-1")).extracting(Signal::getSignal).containsExactly("UNANSWERED_CALL");
  }

  @Test
  void shouldCountACallReturnedAfterTheCallbackWindowAsUnansweredEvenWhenNothingElseMovedTimeInBetween() {
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.PHONE, T0);
    send(ContactEventType.ABANDONED, "C-1", "K-1", ContactChannel.PHONE, at(MINUTE.multipliedBy(2)));
    send(ContactEventType.RESPONDED, "C-1", "K-1", ContactChannel.PHONE, at(HOUR.multipliedBy(6)));

    assertThat(pipeline.signals("C-1")).singleElement().satisfies(s -> {
      assertThat(s.getSignal()).isEqualTo("UNANSWERED_CALL");
      assertThat(s.getOccurredAt()).isEqualTo(at(MINUTE.multipliedBy(2)).plus(HOUR.multipliedBy(4)));
    });
  }

  @Test
  void shouldCountAnAnswerAfterTwiceTheDueTimeAsUnansweredEvenWhenNothingElseMovedTimeInBetween() {
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.EMAIL, T0);
    send(ContactEventType.RESPONDED, "C-1", "K-1", ContactChannel.EMAIL, at(HOUR.multipliedBy(60)));

    assertThat(pipeline.signals("C-1")).singleElement().satisfies(s -> {
      assertThat(s.getSignal()).isEqualTo("UNANSWERED_CALL");
      assertThat(s.getOccurredAt()).isEqualTo(at(HOUR.multipliedBy(48)));
    });
  }

  // --- SERVICE_RECOVERY ----------------------------------------------------------------------------

  @Test
  void shouldLowerTheScoreWhenAProblemIsResolvedInTimeForACustomerWithSomethingToRecoverFrom() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, at(Duration.ofDays(2)), 5_000));
    pipeline.send(pipeline.order(OrderEventType.DELIVERED, "C-1", "O-1", at(Duration.ofDays(6))));
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.EMAIL, at(Duration.ofDays(6).plus(HOUR)));
    int before = lastScore("C-1");

    send(ContactEventType.RESOLVED, "C-1", "K-1", ContactChannel.EMAIL, at(Duration.ofDays(6).plus(HOUR.multipliedBy(5))));

    assertThat(pipeline.signals("C-1", "SERVICE_RECOVERY")).singleElement().satisfies(s -> {
      assertThat(s.getPoints()).isEqualTo(-10);
      assertThat(s.getDescription()).isEqualTo("The customer's e-mail contact K-1 was resolved within 1 day, the expected response time");
      assertThat(s.getEvidenceEventIds()).containsExactly("E-3", "E-4");
    });
    assertThat(pipeline.state("C-1").getRisk().getContributions()).containsEntry("SERVICE_RECOVERY", -10);
    assertThat(lastScore("C-1")).isBetween(before - 11, before - 9);
  }

  @Test
  void shouldSayWhenAProblemWasResolvedWithinTheTimePromisedToTheCustomer() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, at(Duration.ofDays(2)), 5_000));
    pipeline.send(pipeline.order(OrderEventType.DELIVERED, "C-1", "O-1", at(Duration.ofDays(6))));
    openedWithPromise("C-1", "K-1", ContactChannel.CHAT, at(Duration.ofDays(6)), at(Duration.ofDays(6).plus(HOUR)));
    send(ContactEventType.RESOLVED, "C-1", "K-1", ContactChannel.CHAT, at(Duration.ofDays(6).plus(MINUTE.multipliedBy(20))));

    assertThat(pipeline.signals("C-1", "SERVICE_RECOVERY")).singleElement().satisfies(s -> assertThat(s.getDescription())
        .isEqualTo("The customer's chat contact K-1 was resolved within 1 hour, the time promised to the customer"));
  }

  @Test
  void shouldNotCreditServiceRecoveryToACustomerWithNothingToRecoverFrom() {
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.EMAIL, T0);
    send(ContactEventType.RESOLVED, "C-1", "K-1", ContactChannel.EMAIL, at(HOUR.multipliedBy(3)));

    assertThat(pipeline.signals("C-1")).isEmpty();
    assertThat(lastScore("C-1")).isZero();
  }

  @Test
  void shouldNotCreditServiceRecoveryForAResolutionAfterTheDueTime() {
    pipeline.send(pipeline.placed("C-1", "O-1", T0, at(Duration.ofDays(2)), 5_000));
    pipeline.send(pipeline.order(OrderEventType.DELIVERED, "C-1", "O-1", at(Duration.ofDays(6))));
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.CHAT, at(Duration.ofDays(6)));
    send(ContactEventType.RESPONDED, "C-1", "K-1", ContactChannel.CHAT, at(Duration.ofDays(6).plus(MINUTE)));
    send(ContactEventType.RESOLVED, "C-1", "K-1", ContactChannel.CHAT, at(Duration.ofDays(6).plus(HOUR)));

    assertThat(pipeline.signals("C-1", "SERVICE_RECOVERY")).isEmpty();
  }

  // --- business hours ------------------------------------------------------------------------------

  @Test
  void shouldSayWhenTheCustomerGotInTouchOutsideBusinessHours() {
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.EMAIL, SATURDAY_AFTERNOON);
    pipeline.passTime(SATURDAY_AFTERNOON.plus(HOUR.multipliedBy(49)));

    assertThat(pipeline.signals("C-1", "UNANSWERED_CALL")).singleElement().satisfies(s -> assertThat(s.getDescription())
        .endsWith("twice the expected response time; the customer got in touch outside business hours (Saturday 14:00)"));
  }

  @Test
  void shouldSayNothingOfBusinessHoursForAContactInsideThem() {
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.EMAIL, T0);
    pipeline.passTime(at(HOUR.multipliedBy(49)));

    assertThat(pipeline.signals("C-1", "UNANSWERED_CALL")).singleElement()
        .satisfies(s -> assertThat(s.getDescription()).doesNotContain("business hours"));
  }

  @Test
  void shouldJudgeBusinessHoursByTheConfiguredHoursAndDays() {
    useConfig(ChurnConfig.defaults()
        .with("contacts.business-hours.open", "09:00")
        .with("contacts.business-hours.close", "21:00")
        .with("contacts.business-days", "MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY,SATURDAY"));
    Instant mondayEvening = Instant.parse("2026-03-02T20:00:00Z");
    Instant mondayMorning = Instant.parse("2026-03-02T08:30:00Z");
    send(ContactEventType.OPENED, "C-1", "K-1", ContactChannel.EMAIL, SATURDAY_AFTERNOON);
    send(ContactEventType.OPENED, "C-2", "K-2", ContactChannel.EMAIL, mondayEvening);
    send(ContactEventType.OPENED, "C-3", "K-3", ContactChannel.EMAIL, mondayMorning);
    pipeline.passTime(SATURDAY_AFTERNOON.plus(Duration.ofDays(3)));

    assertThat(pipeline.signals("C-1").get(0).getDescription()).doesNotContain("business hours");
    assertThat(pipeline.signals("C-2").get(0).getDescription()).doesNotContain("business hours");
    assertThat(pipeline.signals("C-3").get(0).getDescription()).endsWith("outside business hours (Monday 08:30)");
  }

  // --- events for contacts never seen opened -------------------------------------------------------

  @Test
  void shouldCountAnAnswerOrResolutionForAContactNeverSeenOpenedWithoutTreatingItAsAnError() {
    send(ContactEventType.RESPONDED, "C-1", "K-unknown", ContactChannel.EMAIL, T0);
    send(ContactEventType.RESOLVED, "C-1", "K-unknown", ContactChannel.EMAIL, at(HOUR));
    pipeline.passTime(at(Duration.ofDays(5)));

    assertThat(pipeline.signals("C-1")).isEmpty();
    assertThat(pipeline.deadLetters()).isEmpty();
    assertThat(pipeline.metrics.registry().get(ChurnMetrics.UNMATCHED_EVENTS).tag("stream", "contacts").counter().count())
        .isEqualTo(2.0);
  }

  private int lastScore(String customer) {
    return pipeline.state(customer).getRisk().getScore();
  }
}

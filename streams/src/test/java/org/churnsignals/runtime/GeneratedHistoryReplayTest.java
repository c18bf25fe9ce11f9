package org.churnsignals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.generate.Persona;
import org.churnsignals.generate.TrafficGenerator;
import org.churnsignals.serde.EventJson;
import org.churnsignals.sources.SignalSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The product's promise on realistic traffic: alerts concentrate on customers whose experience degrades. */
class GeneratedHistoryReplayTest {

  private static final int CUSTOMERS = 1000;
  private static final int DAYS = 90;
  private static final long SEED = 7;
  private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");

  @Test
  void shouldAlertDegradingCustomersFarMoreOftenThanHealthyOnes(@TempDir Path dir) throws Exception {
    Path history = dir.resolve("history.jsonl");
    HistoryFile.generate(SEED, CUSTOMERS, DAYS, START, history);
    Replay.Summary summary = new Replay(ChurnConfig.defaults(), SignalSources.standard()).run(history, dir.resolve("out"));

    Set<String> alerted = new HashSet<>();
    for (String line : Files.readAllLines(dir.resolve("out").resolve(Replay.ALERTS))) {
      JsonNode alert = EventJson.mapper().readTree(line);
      alerted.add(alert.get("customerId").asText());
    }
    TrafficGenerator personas = new TrafficGenerator(SEED, CUSTOMERS, START,
        TrafficGenerator.Settings.DEFAULT.withHealthyFor(Duration.ofDays(DAYS / 3)));
    int healthy = 0;
    int healthyAlerted = 0;
    int degrading = 0;
    int degradingAlerted = 0;
    for (int i = 1; i <= CUSTOMERS; i++) {
      String id = String.format("C-%06d", i);
      boolean wasAlerted = alerted.contains(id);
      if (personas.personaOf(id) == Persona.HEALTHY) {
        healthy++;
        healthyAlerted += wasAlerted ? 1 : 0;
      } else {
        degrading++;
        degradingAlerted += wasAlerted ? 1 : 0;
      }
    }
    double healthyRate = (double) healthyAlerted / healthy;
    double degradingRate = (double) degradingAlerted / degrading;
    System.out.printf("Replay of %d events: %d signals, %d alerts; alerted %d of %d degrading customers (%.1f%%) and "
            + "%d of %d healthy ones (%.1f%%)%n", summary.events(), summary.signals(), summary.alerts(), degradingAlerted,
        degrading, 100 * degradingRate, healthyAlerted, healthy, 100 * healthyRate);

    assertThat(summary.deadLetters()).isZero();
    // Many degrading customers meet one failure only in 90 days; alerts wait for a pattern.
    assertThat(degradingRate).isGreaterThan(0.25);
    assertThat(healthyRate).isLessThan(0.02);
    assertThat(degradingRate).isGreaterThan(15 * healthyRate);
  }

  @Test
  void shouldWriteTheSameOutputForTheSameHistory(@TempDir Path dir) throws Exception {
    Path history = dir.resolve("history.jsonl");
    HistoryFile.generate(SEED, 100, 30, START, history);
    for (String run : List.of("a", "b")) {
      new Replay(ChurnConfig.defaults(), SignalSources.standard()).run(history, dir.resolve(run));
    }
    for (String file : List.of(Replay.SIGNALS, Replay.ALERTS, Replay.RISK, Replay.DEAD_LETTERS)) {
      assertThat(Files.readString(dir.resolve("b").resolve(file))).as(file)
          .isEqualTo(Files.readString(dir.resolve("a").resolve(file)));
    }
    assertThat(Files.readAllLines(dir.resolve("a").resolve(Replay.ALERTS))).isNotEmpty();
  }
}

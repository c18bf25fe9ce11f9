package org.churnsignals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.HostInfo;
import org.churnsignals.http.ChurnMetrics;
import org.churnsignals.serde.SchemaRegistries;
import org.churnsignals.sources.SignalSources;
import org.churnsignals.topology.ChurnTopology;
import org.churnsignals.topology.RiskStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances of one application share the customers between them; an agent may ask either about anyone.
 */
class TwoInstancesIT {

  private static final int CUSTOMERS = 24;
  private static final int PARTITIONS = 4;
  private static final EventHistory history = new EventHistory(21, "two");
  private static KafkaBroker broker;
  private static LivePipeline first;
  private static LivePipeline second;

  @BeforeAll
  static void startTwoInstancesAndGiveManyCustomersLateDeliveries() throws InterruptedException {
    broker = KafkaBroker.start(0);
    Map<String, String> oneApplication =
        Map.of("application.id", "churn-it-two-instances", "topics.partitions", Integer.toString(PARTITIONS));
    first = LivePipeline.start(broker, LivePipeline.config(broker, oneApplication));
    second = LivePipeline.start(broker, LivePipeline.config(broker, oneApplication));
    // Events sent while the second instance joins would meet tasks moving between the instances.
    LivePipeline.eventually(TwoInstancesIT::tasksSplitBetweenRunningInstances, split -> split,
        "both instances RUNNING, every task active on exactly one of them");

    for (String customer : customers()) {
      for (int i = 0; i < 2; i++) {
        String order = "O-" + customer + "-" + i;
        history.placed(customer, order, history.day(5 * i), history.day(5 * i + 2), 5_000);
        history.delivered(customer, order, history.day(5 * i + 4));
      }
    }
    first.send(history.inTimeOrder());
    // Every customer ends with two broken promises: HIGH, and both orders' value at risk.
    first.awaitJson("/api/customers/at-risk?level=HIGH&limit=500", answer -> answer.get("customers").size() == CUSTOMERS
            && list(answer.get("customers")).stream().allMatch(c -> c.get("valueAtRiskCents").asLong() == 10_000),
        "every customer HIGH, asked of the first instance");
  }

  @AfterAll
  static void stop() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static List<String> customers() {
    return IntStream.rangeClosed(1, CUSTOMERS).mapToObj(i -> String.format("C-%03d", i)).toList();
  }

  private static boolean tasksSplitBetweenRunningInstances() {
    List<Set<TaskId>> tasks = List.of(activeTasks(first), activeTasks(second));
    Set<TaskId> all = new HashSet<>(tasks.get(0));
    all.addAll(tasks.get(1));
    return first.app.isRunning() && second.app.isRunning()
        && !tasks.get(0).isEmpty() && !tasks.get(1).isEmpty()
        && all.size() == tasks.get(0).size() + tasks.get(1).size()
        && all.size() == PARTITIONS * subtopologies();
  }

  private static Set<TaskId> activeTasks(LivePipeline pipeline) {
    return pipeline.app.streams().metadataForLocalThreads().stream()
        .flatMap(thread -> thread.activeTasks().stream())
        .map(TaskMetadata::taskId)
        .collect(Collectors.toSet());
  }

  private static int subtopologies() {
    return ChurnTopology.build(first.config, ChurnMetrics.inMemory(), SchemaRegistries.forUrl(first.config.schemaRegistryUrl()),
        SignalSources.standard()).describe().subtopologies().size();
  }

  private static HostInfo ownerOf(String customer) {
    return first.app.streams().queryMetadataForKey(RiskStores.CUSTOMERS, customer, new StringSerializer()).activeHost();
  }

  private static HostInfo hostOf(LivePipeline pipeline) {
    return HostInfo.buildFromEndpoint(pipeline.config.http().applicationServer());
  }

  private static Set<String> ownedBySecond() {
    return customers().stream().filter(c -> ownerOf(c).equals(hostOf(second))).collect(Collectors.toSet());
  }

  private static List<JsonNode> list(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).toList();
  }

  @Test
  void theCustomersAreSplitBetweenTheInstances() {
    assertThat(ownedBySecond()).isNotEmpty().hasSizeLessThan(CUSTOMERS);
  }

  @Test
  void oneInstanceAnswersForACustomerTheOtherOwns() {
    String customer = ownedBySecond().stream().sorted().findFirst().orElseThrow();

    HttpResponse<String> throughFirst = first.get("/api/customers/" + customer + "/risk");
    HttpResponse<String> fromOwner = second.get("/internal/customers/" + customer);

    assertThat(first.get("/internal/customers/" + customer).statusCode()).as("the first instance's own state").isEqualTo(404);
    assertThat(throughFirst.statusCode()).isEqualTo(200);
    JsonNode risk = first.json(throughFirst);
    assertThat(risk.get("customerId").asText()).isEqualTo(customer);
    assertThat(risk.get("reasons")).isNotEmpty();
    assertThat(risk.get("valueAtRiskCents").asLong()).isEqualTo(10_000);
    assertThat(risk).isEqualTo(second.json(fromOwner));
  }

  @Test
  void theListsOfOneInstanceIncludeCustomersTheOtherOwns() {
    Set<String> theirs = ownedBySecond();
    String since = URLEncoder.encode(history.day(0).toString(), StandardCharsets.UTF_8);

    JsonNode atRisk = first.json(first.get("/api/customers/at-risk?limit=500"));
    JsonNode alerts = first.json(first.get("/api/alerts?limit=500&since=" + since));

    assertThat(list(atRisk.get("customers"))).extracting(c -> c.get("customerId").asText())
        .containsExactlyInAnyOrderElementsOf(customers());
    assertThat(list(atRisk.get("customers"))).extracting(c -> c.get("score").asInt()).isSortedAccordingTo((a, b) -> b - a);
    assertThat(atRisk.get("unavailableInstances")).isEmpty();
    assertThat(list(alerts.get("alerts"))).extracting(a -> a.get("customerId").asText()).containsAnyElementsOf(theirs);
    assertThat(alerts.get("unavailableInstances")).isEmpty();
    assertThat(second.json(second.get("/api/customers/at-risk?limit=500")).get("customers")).isEqualTo(atRisk.get("customers"));
  }
}

package org.churnsignals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class ChurnTopicsTest {

  @Test
  void defaultsAreTheTopicNamesOfTheContract() {
    List<String> names = ChurnTopics.defaults().newTopics(3, (short) 1).stream().map(NewTopic::name).toList();

    assertThat(names).containsExactly("orders", "contacts", "returns", "prices",
        "churn-alerts", "customer-risk", "churn-signals", "churn-dead-letters");
  }

  @Test
  void everyTopicGetsTheGivenPartitionsAndReplicationFactor() {
    List<NewTopic> topics = ChurnTopics.defaults().newTopics(6, (short) 3);

    assertThat(topics).allSatisfy(topic -> {
      assertThat(topic.numPartitions()).isEqualTo(6);
      assertThat(topic.replicationFactor()).isEqualTo((short) 3);
    });
  }

  @Test
  void onlyTheRiskTopicIsCompacted() {
    ChurnTopics names = new ChurnTopics("o", "c", "r", "p", "a", "risk", "s", "d");

    assertThat(names.newTopics(1, (short) 1))
        .allSatisfy(topic -> assertThat(topic.configs() == null ? Map.of() : topic.configs())
            .isEqualTo(topic.name().equals("risk") ? Map.of("cleanup.policy", "compact") : Map.of()));
  }
}

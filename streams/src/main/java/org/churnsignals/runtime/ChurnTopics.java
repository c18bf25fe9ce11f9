package org.churnsignals.runtime;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** The names of the application's topics, and their creation. */
public record ChurnTopics(
    String orders,
    String contacts,
    String returns,
    String prices,
    String alerts,
    String risk,
    String signals,
    String deadLetters) {

  public static ChurnTopics defaults() {
    return new ChurnTopics("orders", "contacts", "returns", "prices",
        "churn-alerts", "customer-risk", "churn-signals", "churn-dead-letters");
  }

  /** Every topic to create; the risk topic keeps only the latest risk of each customer. */
  public List<NewTopic> newTopics(int partitions, short replicationFactor) {
    return List.of(
        new NewTopic(orders, partitions, replicationFactor),
        new NewTopic(contacts, partitions, replicationFactor),
        new NewTopic(returns, partitions, replicationFactor),
        new NewTopic(prices, partitions, replicationFactor),
        new NewTopic(alerts, partitions, replicationFactor),
        new NewTopic(risk, partitions, replicationFactor)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
        new NewTopic(signals, partitions, replicationFactor),
        new NewTopic(deadLetters, partitions, replicationFactor));
  }

  /**
   * Creates the topics that do not exist yet, leaving existing ones as they are.
   *
   * @return the names of the topics this call created
   */
  public Set<String> createMissing(Admin admin, int partitions, short replicationFactor) {
    List<NewTopic> topics = newTopics(partitions, replicationFactor);
    Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
    Set<String> created = new LinkedHashSet<>();
    for (NewTopic topic : topics) {
      try {
        results.get(topic.name()).get();
        created.add(topic.name());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("Cannot create topic " + topic.name() + ": " + e.getCause().getMessage(),
              e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while creating topic " + topic.name(), e);
      }
    }
    return created;
  }
}

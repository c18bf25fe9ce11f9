package org.churnsignals.runtime;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.schema.AlertReason;
import org.churnsignals.schema.ChurnAlert;
import org.churnsignals.serde.ConfluentAvroSerde;
import org.churnsignals.serde.SchemaRegistry;
import org.churnsignals.sources.Phrases;

/** Reads the alerts topic as any consumer would and prints each alert as one readable line. */
final class AlertPrinter implements AutoCloseable {

  private final KafkaConsumer<String, ChurnAlert> consumer;
  private final String topic;
  private final PrintStream out;
  private final Phrases phrases;
  private final AtomicLong printed = new AtomicLong();
  private final Thread thread;

  AlertPrinter(ChurnConfig config, SchemaRegistry registry, PrintStream out) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "churn-signals-demo-printer-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new ConfluentAvroSerde<>(ChurnAlert.class, registry).deserializer());
    this.topic = config.topics().alerts();
    this.out = out;
    this.phrases = new Phrases(config.display());
    this.thread = new Thread(this::print, "demo-alert-printer");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  long printed() {
    return printed.get();
  }

  private void print() {
    try {
      consumer.subscribe(List.of(topic));
      while (true) {
        for (ConsumerRecord<String, ChurnAlert> record : consumer.poll(Duration.ofMillis(500))) {
          out.println(line(record.value()));
          printed.incrementAndGet();
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  String line(ChurnAlert alert) {
    List<AlertReason> reasons = alert.getReasons();
    String strongest = reasons.isEmpty() ? "" : reasons.get(0).getDescription();
    String more = reasons.size() > 1 ? " (+" + (reasons.size() - 1) + " more)" : "";
    return String.format("ALERT %-9s %-8s score %3d  %s at risk  %s%s",
        alert.getCustomerId(), alert.getLevel(), alert.getScore(), phrases.money(alert.getValueAtRiskCents()), strongest, more);
  }

  @Override
  public void close() throws InterruptedException {
    consumer.wakeup();
    thread.join(5_000);
  }
}

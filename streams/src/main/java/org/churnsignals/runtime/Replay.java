package org.churnsignals.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.http.ChurnMetrics;
import org.churnsignals.schema.ChurnAlert;
import org.churnsignals.schema.ContactEvent;
import org.churnsignals.schema.CustomerRisk;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.PriceEvent;
import org.churnsignals.schema.ReturnEvent;
import org.churnsignals.schema.Signal;
import org.churnsignals.scoring.RiskModel;
import org.churnsignals.serde.ConfluentAvroSerde;
import org.churnsignals.serde.EventJson;
import org.churnsignals.serde.InvalidEventException;
import org.churnsignals.serde.SchemaRegistries;
import org.churnsignals.serde.SchemaRegistry;
import org.churnsignals.sources.EventFields;
import org.churnsignals.sources.SignalSource;
import org.churnsignals.topology.ChurnTopology;
import org.churnsignals.topology.RiskStores;
import org.churnsignals.state.CustomerRiskState;

/**
 * Runs a history of events through the production topology, without a broker, in occurredAt order
 * (ties in file order), and writes what the pipeline published. The same input gives the same output:
 * only event time moves, never the wall clock.
 */
public final class Replay {

  public static final String SIGNALS = "signals.jsonl";
  public static final String ALERTS = "alerts.jsonl";
  public static final String RISK = "risk.jsonl";
  public static final String DEAD_LETTERS = "dead-letters.jsonl";

  /** @param events lines read as events, including those the pipeline then rejected */
  public record Summary(int events, int signals, int alerts, int customers, int deadLetters) {}

  private record Stream<T extends SpecificRecord>(String topic, Class<T> type, Function<T, String> key) {}

  private record Line(int number, String stream, SpecificRecord event, Instant occurredAt) {}

  private record DeadLetter(int line, String error) {}

  private final ChurnConfig config;
  private final List<SignalSource> sources;
  private final ObjectMapper json = EventJson.mapper();

  public Replay(ChurnConfig config, List<SignalSource> sources) {
    this.config = config.with("schema.registry.url", "mock://replay-" + UUID.randomUUID());
    this.sources = sources;
  }

  public Summary run(Path events, Path outDir) throws IOException {
    Map<String, Stream<?>> streams = Map.of(
        "orders", new Stream<>(config.topics().orders(), OrderEvent.class, OrderEvent::getCustomerId),
        "contacts", new Stream<>(config.topics().contacts(), ContactEvent.class, ContactEvent::getCustomerId),
        "returns", new Stream<>(config.topics().returns(), ReturnEvent.class, ReturnEvent::getCustomerId),
        "prices", new Stream<>(config.topics().prices(), PriceEvent.class, PriceEvent::getSku));
    List<DeadLetter> deadLetters = new ArrayList<>();
    List<Line> lines = read(events, streams, deadLetters);
    lines.sort(Comparator.comparing(Line::occurredAt).thenComparingInt(Line::number));

    Files.createDirectories(outDir);
    Path stateDir = Files.createTempDirectory("churn-replay-state");
    SchemaRegistry registry = SchemaRegistries.forUrl(config.schemaRegistryUrl());
    Properties props = ChurnTopology.streamsConfig(config);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    int signals;
    int alerts;
    int customers;
    try (TopologyTestDriver driver = new TopologyTestDriver(
        ChurnTopology.build(config, ChurnMetrics.inMemory(), registry, sources), props, Instant.now())) {
      Map<String, TestInputTopic<String, SpecificRecord>> inputs = new HashMap<>();
      streams.forEach((name, stream) -> inputs.put(name, input(driver, registry, stream)));
      Map<String, Long> offsets = new HashMap<>();
      Map<String, Integer> lineOf = new HashMap<>();
      for (Line line : lines) {
        Stream<?> stream = streams.get(line.stream());
        long offset = offsets.merge(stream.topic(), 1L, Long::sum) - 1;
        lineOf.put(stream.topic() + "@" + offset, line.number());
        inputs.get(line.stream()).pipeInput(key(stream, line.event()), line.event(), line.occurredAt());
      }
      signals = write(outDir.resolve(SIGNALS), driver.createOutputTopic(config.topics().signals(),
          new StringDeserializer(), new ConfluentAvroSerde<>(Signal.class, registry).deserializer()).readValuesToList());
      alerts = write(outDir.resolve(ALERTS), driver.createOutputTopic(config.topics().alerts(),
          new StringDeserializer(), new ConfluentAvroSerde<>(ChurnAlert.class, registry).deserializer()).readValuesToList());
      for (TestRecord<byte[], byte[]> record : driver.createOutputTopic(config.topics().deadLetters(),
          new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList()) {
        String at = header(record, "dead-letter.source-topic") + "@" + header(record, "dead-letter.source-offset");
        deadLetters.add(new DeadLetter(lineOf.getOrDefault(at, 0), header(record, "dead-letter.error")));
      }
      Instant end = lines.isEmpty() ? Instant.EPOCH : lines.get(lines.size() - 1).occurredAt();
      java.util.Set<String> customerIds = new java.util.TreeSet<>();
      for (Line line : lines) {
        if (!line.stream().equals("prices")) {
          customerIds.add(key(streams.get(line.stream()), line.event()));
        }
      }
      customers = write(outDir.resolve(RISK), risksAt(end, customerIds, driver.getKeyValueStore(RiskStores.CUSTOMERS)));
    } finally {
      deleteRecursively(stateDir);
    }
    deadLetters.sort(Comparator.comparingInt(DeadLetter::line));
    try (BufferedWriter out = Files.newBufferedWriter(outDir.resolve(DEAD_LETTERS), StandardCharsets.UTF_8)) {
      for (DeadLetter d : deadLetters) {
        ObjectNode node = json.createObjectNode();
        node.put("line", d.line());
        node.put("error", d.error());
        out.write(json.writeValueAsString(node));
        out.newLine();
      }
    }
    return new Summary(lines.size(), signals, alerts, customers, deadLetters.size());
  }

  /**
   * Every customer's risk at the end of the history: signals faded to the latest occurredAt. A customer
   * the pipeline keeps no state for had neither a signal nor an order: no risk.
   */
  private List<CustomerRisk> risksAt(Instant end, java.util.Set<String> customerIds,
      KeyValueStore<String, CustomerRiskState> store) {
    RiskModel model = new RiskModel(config.risk());
    List<CustomerRisk> risks = new ArrayList<>();
    for (String customerId : customerIds) {
      CustomerRiskState state = store.get(customerId);
      RiskModel.Assessment assessment = state == null
          ? model.assess(List.of(), end, null)
          : model.assess(model.inWindow(state.getSignals(), end), end, state.getRisk().getLevel());
      risks.add(CustomerRisk.newBuilder()
          .setCustomerId(customerId)
          .setScore(assessment.score())
          .setLevel(assessment.level())
          .setContributions(new TreeMap<>(assessment.contributions()))
          .setValueAtRiskCents(state == null ? 0 : model.valueAtRisk(state.getSpend(), end))
          .setUpdatedAt(end)
          .build());
    }
    return risks;
  }

  private List<Line> read(Path events, Map<String, Stream<?>> streams, List<DeadLetter> deadLetters) throws IOException {
    List<Line> lines = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
      String text;
      int number = 0;
      while ((text = reader.readLine()) != null) {
        number++;
        if (text.isBlank()) {
          continue;
        }
        try {
          JsonNode node = json.readTree(text);
          if (node == null || !node.isObject()) {
            throw new InvalidEventException("invalid_json", null, "line is not a JSON object");
          }
          JsonNode streamName = node.get("stream");
          if (streamName == null || !streamName.isTextual()) {
            throw new InvalidEventException("missing_field", "stream", "missing required field 'stream'");
          }
          Stream<?> stream = streams.get(streamName.asText());
          if (stream == null) {
            throw new InvalidEventException("invalid_value", "stream",
                "unknown stream '" + streamName.asText() + "' (expected orders, contacts, returns or prices)");
          }
          JsonNode event = node.get("event");
          if (event == null || !event.isObject()) {
            throw new InvalidEventException("missing_field", "event", "missing required field 'event'");
          }
          SpecificRecord record = EventJson.read(event, stream.type());
          lines.add(new Line(number, streamName.asText(), record, EventFields.occurredAt(record)));
        } catch (InvalidEventException e) {
          deadLetters.add(new DeadLetter(number, e.getMessage()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          deadLetters.add(new DeadLetter(number, "not valid JSON: " + e.getOriginalMessage()));
        }
      }
    }
    return lines;
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> TestInputTopic<String, SpecificRecord> input(
      TopologyTestDriver driver, SchemaRegistry registry, Stream<T> stream) {
    ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(stream.type(), registry);
    return (TestInputTopic<String, SpecificRecord>) (TestInputTopic<String, ?>)
        driver.createInputTopic(stream.topic(), new StringSerializer(), serde.serializer());
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> String key(Stream<T> stream, SpecificRecord event) {
    return stream.key().apply((T) event);
  }

  private int write(Path file, List<? extends SpecificRecord> records) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (SpecificRecord record : records) {
        out.write(EventJson.writeLine(record));
        out.newLine();
      }
    }
    return records.size();
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

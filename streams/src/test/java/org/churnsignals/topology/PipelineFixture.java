package org.churnsignals.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.churnsignals.config.ChurnConfig;
import org.churnsignals.http.ChurnMetrics;
import org.churnsignals.schema.ChurnAlert;
import org.churnsignals.schema.ContactChannel;
import org.churnsignals.schema.ContactEvent;
import org.churnsignals.schema.ContactEventType;
import org.churnsignals.schema.CustomerRisk;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.OrderEventType;
import org.churnsignals.schema.OrderLine;
import org.churnsignals.schema.PriceEvent;
import org.churnsignals.schema.ReturnEvent;
import org.churnsignals.schema.ReturnEventType;
import org.churnsignals.schema.ReturnReason;
import org.churnsignals.schema.Signal;
import org.churnsignals.serde.ConfluentAvroSerde;
import org.churnsignals.serde.SchemaRegistries;
import org.churnsignals.serde.SchemaRegistry;
import org.churnsignals.sources.SignalSource;
import org.churnsignals.sources.SignalSources;
import org.churnsignals.state.CustomerRiskState;

/**
 * The production topology in a TopologyTestDriver, with builders for the contract's events so a test
 * reads as the customer's story. Time starts at {@link #T0}; the wall clock starts well after it, as in a
 * replay of history, and moves only when a test moves it.
 */
public final class PipelineFixture implements AutoCloseable {

  public static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  public final ChurnConfig config;
  public final ChurnMetrics metrics = ChurnMetrics.inMemory();
  public final TopologyTestDriver driver;
  private final SchemaRegistry registry;
  private final TestInputTopic<String, OrderEvent> orders;
  private final TestInputTopic<String, ContactEvent> contacts;
  private final TestInputTopic<String, ReturnEvent> returns;
  private final TestInputTopic<String, PriceEvent> prices;
  private final TestInputTopic<byte[], byte[]> rawOrders;
  private final TestOutputTopic<String, Signal> signals;
  private final TestOutputTopic<String, ChurnAlert> alerts;
  private final TestOutputTopic<String, CustomerRisk> risks;
  private final TestOutputTopic<byte[], byte[]> deadLetters;
  private final java.nio.file.Path stateDir = tempStateDir();
  private final List<Signal> signalsSeen = new ArrayList<>();
  private final List<ChurnAlert> alertsSeen = new ArrayList<>();
  private int nextEvent = 1;

  public PipelineFixture() {
    this(ChurnConfig.defaults(), SignalSources.standard());
  }

  public PipelineFixture(ChurnConfig config) {
    this(config, SignalSources.standard());
  }

  public PipelineFixture(ChurnConfig config, List<SignalSource> sources) {
    String scope = "mock://test-" + UUID.randomUUID();
    this.config = config.with("schema.registry.url", scope);
    this.registry = SchemaRegistries.forUrl(scope);
    Properties props = ChurnTopology.streamsConfig(this.config);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(ChurnTopology.build(this.config, metrics, registry, sources), props,
        Instant.parse("2026-11-01T00:00:00Z"));
    ChurnConfig.Topics t = this.config.topics();
    orders = input(t.orders(), OrderEvent.class);
    contacts = input(t.contacts(), ContactEvent.class);
    returns = input(t.returns(), ReturnEvent.class);
    prices = input(t.prices(), PriceEvent.class);
    rawOrders = driver.createInputTopic(t.orders(), new ByteArraySerializer(), new ByteArraySerializer());
    signals = output(t.signals(), Signal.class);
    alerts = output(t.alerts(), ChurnAlert.class);
    risks = output(t.risk(), CustomerRisk.class);
    deadLetters = driver.createOutputTopic(t.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  public <T extends SpecificRecord> TestInputTopic<String, T> input(String topic, Class<T> type) {
    return driver.createInputTopic(topic, new StringSerializer(), new ConfluentAvroSerde<>(type, registry).serializer());
  }

  private <T extends SpecificRecord> TestOutputTopic<String, T> output(String topic, Class<T> type) {
    return driver.createOutputTopic(topic, new StringDeserializer(), new ConfluentAvroSerde<>(type, registry).deserializer());
  }

  public SchemaRegistry registry() {
    return registry;
  }

  // --- events --------------------------------------------------------------------------------------

  public String eventId() {
    return "E-" + nextEvent++;
  }

  public void send(OrderEvent event) {
    orders.pipeInput(event.getCustomerId(), event, event.getOccurredAt());
  }

  public void send(ContactEvent event) {
    contacts.pipeInput(event.getCustomerId(), event, event.getOccurredAt());
  }

  public void send(ReturnEvent event) {
    returns.pipeInput(event.getCustomerId(), event, event.getOccurredAt());
  }

  public void send(PriceEvent event) {
    prices.pipeInput(event.getSku(), event, event.getOccurredAt());
  }

  public void sendRawOrder(byte[] key, byte[] value) {
    rawOrders.pipeInput(key, value);
  }

  public OrderEvent placed(String customer, String order, Instant at, Instant promisedBy, long totalCents) {
    return placed(customer, order, at, promisedBy, totalCents, null, List.of(new OrderLine("SKU-1", totalCents, 1)));
  }

  public OrderEvent placed(String customer, String order, Instant at, Instant promisedBy, long totalCents, Long quotedCents,
      List<OrderLine> lines) {
    return OrderEvent.newBuilder().setEventId(eventId()).setOccurredAt(at).setCustomerId(customer).setOrderId(order)
        .setType(OrderEventType.PLACED).setPromisedBy(promisedBy).setTotalCents(totalCents).setQuotedCents(quotedCents)
        .setLines(lines).build();
  }

  public OrderEvent order(OrderEventType type, String customer, String order, Instant at) {
    return OrderEvent.newBuilder().setEventId(eventId()).setOccurredAt(at).setCustomerId(customer).setOrderId(order)
        .setType(type).build();
  }

  public OrderEvent delayNotified(String customer, String order, Instant at, Instant revisedPromise) {
    OrderEvent e = order(OrderEventType.DELAY_NOTIFIED, customer, order, at);
    e.setPromisedBy(revisedPromise);
    return e;
  }

  public ContactEvent contact(ContactEventType type, String customer, String contact, ContactChannel channel, Instant at) {
    return ContactEvent.newBuilder().setEventId(eventId()).setOccurredAt(at).setCustomerId(customer)
        .setContactId(contact).setChannel(channel).setType(type).build();
  }

  public ReturnEvent returnEvent(ReturnEventType type, String customer, String returnId, String order, Instant at) {
    return ReturnEvent.newBuilder().setEventId(eventId()).setOccurredAt(at).setCustomerId(customer)
        .setReturnId(returnId).setOrderId(order).setType(type).build();
  }

  public ReturnEvent returnRequested(String customer, String returnId, String order, Instant at, ReturnReason reason) {
    ReturnEvent e = returnEvent(ReturnEventType.REQUESTED, customer, returnId, order, at);
    e.setReason(reason);
    return e;
  }

  public ReturnEvent refunded(String customer, String returnId, String order, Instant at, long refund, long fee) {
    ReturnEvent e = returnEvent(ReturnEventType.REFUNDED, customer, returnId, order, at);
    e.setRefundCents(refund);
    e.setFeeCents(fee);
    return e;
  }

  public PriceEvent priceChange(String sku, Instant at, long oldCents, long newCents) {
    return PriceEvent.newBuilder().setEventId(eventId()).setOccurredAt(at).setSku(sku).setOldPriceCents(oldCents)
        .setNewPriceCents(newCents).build();
  }

  /** Moves event time forward with an event of an unrelated customer, as busy traffic would. */
  public void passTime(Instant to) {
    send(contact(ContactEventType.OPENED, "C-bystander", "K-tick-" + to.toEpochMilli(), ContactChannel.EMAIL, to));
  }

  public void advanceWallClock(Duration by) {
    driver.advanceWallClockTime(by);
  }

  // --- outputs -------------------------------------------------------------------------------------

  public List<Signal> signals() {
    signals.readValuesToList().forEach(signalsSeen::add);
    return List.copyOf(signalsSeen);
  }

  public List<Signal> signals(String customer) {
    return signals().stream().filter(s -> s.getCustomerId().equals(customer)).toList();
  }

  public List<Signal> signals(String customer, String name) {
    return signals(customer).stream().filter(s -> s.getSignal().equals(name)).toList();
  }

  public List<ChurnAlert> alerts() {
    alerts.readValuesToList().forEach(alertsSeen::add);
    return List.copyOf(alertsSeen);
  }

  public List<CustomerRisk> risks() {
    return risks.readValuesToList();
  }

  public List<TestRecord<byte[], byte[]>> deadLetters() {
    return deadLetters.readRecordsToList();
  }

  public CustomerRiskState state(String customer) {
    return driver.<String, CustomerRiskState>getKeyValueStore(RiskStores.CUSTOMERS).get(customer);
  }

  @Override
  public void close() {
    driver.close();
    // The driver empties its state directory but leaves it, and every test makes one.
    try (var paths = java.nio.file.Files.walk(stateDir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static java.nio.file.Path tempStateDir() {
    try {
      return java.nio.file.Files.createTempDirectory("churn-test-state");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

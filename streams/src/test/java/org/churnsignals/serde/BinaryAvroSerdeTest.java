package org.churnsignals.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.churnsignals.schema.CustomerRisk;
import org.churnsignals.schema.PriceEvent;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BinaryAvroSerdeTest {

  @Test
  void writesPlainAvroBinaryWithNoHeader() {
    BinaryAvroSerde<PriceEvent> serde = new BinaryAvroSerde<>(PriceEvent.class);
    byte[] confluent = new ConfluentAvroSerde<>(PriceEvent.class, new InMemorySchemaRegistry())
        .serializer().serialize("prices", SampleRecords.priceDrop());

    byte[] plain = serde.serializer().serialize("store-changelog", SampleRecords.priceDrop());

    assertThat(plain).isEqualTo(Arrays.copyOfRange(confluent, 5, confluent.length));
  }

  static Stream<Named<SpecificRecord>> everyType() {
    return SampleRecords.everyType().stream().map(SampleRecords::named);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyType")
  void readsBackExactlyWhatItWrote(SpecificRecord record) {
    @SuppressWarnings("unchecked")
    BinaryAvroSerde<SpecificRecord> serde = new BinaryAvroSerde<>((Class<SpecificRecord>) record.getClass());

    byte[] bytes = serde.serializer().serialize("store-changelog", record);

    assertThat(serde.deserializer().deserialize("store-changelog", bytes)).isEqualTo(record);
  }

  @Test
  void turnsNullIntoATombstoneAndATombstoneIntoNull() {
    BinaryAvroSerde<CustomerRisk> serde = new BinaryAvroSerde<>(CustomerRisk.class);

    assertThat(serde.serializer().serialize("risk-store", null)).isNull();
    assertThat(serde.deserializer().deserialize("risk-store", null)).isNull();
  }

  @Test
  void rejectsHalfARecordAsTruncated() {
    BinaryAvroSerde<CustomerRisk> serde = new BinaryAvroSerde<>(CustomerRisk.class);
    byte[] bytes = serde.serializer().serialize("risk-store", SampleRecords.risk());

    assertThatThrownBy(() -> serde.deserializer().deserialize("risk-store", Arrays.copyOf(bytes, bytes.length / 2)))
        .isInstanceOfSatisfying(RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(RecordDecodingException.TRUNCATED))
        .hasMessageContaining("too few for CustomerRisk in plain Avro binary");
  }

  @Test
  void rejectsARecordOfAnotherTypeAsUndecodable() {
    byte[] risk = new BinaryAvroSerde<>(CustomerRisk.class).serializer().serialize("store", SampleRecords.risk());
    BinaryAvroSerde<PriceEvent> prices = new BinaryAvroSerde<>(PriceEvent.class);

    assertThatThrownBy(() -> prices.deserializer().deserialize("store", risk))
        .isInstanceOfSatisfying(RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(RecordDecodingException.UNDECODABLE));
  }

  @Test
  void oneSerdeServesManyThreadsAtOnce() throws Exception {
    BinaryAvroSerde<CustomerRisk> serde = new BinaryAvroSerde<>(CustomerRisk.class);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String customer = "C-" + t;
        results.add(threads.submit(() -> {
          int matches = 0;
          for (int i = 0; i < 5_000; i++) {
            CustomerRisk risk = CustomerRisk.newBuilder(SampleRecords.risk()).setCustomerId(customer).setScore(i % 101)
                .build();
            byte[] bytes = serde.serializer().serialize("risk-store", risk);
            matches += serde.deserializer().deserialize("risk-store", bytes).equals(risk) ? 1 : 0;
          }
          return matches;
        }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get()).isEqualTo(5_000);
      }
    } finally {
      threads.shutdownNow();
    }
  }
}

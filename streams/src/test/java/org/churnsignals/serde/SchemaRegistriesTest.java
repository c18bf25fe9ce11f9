package org.churnsignals.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.churnsignals.schema.ContactEvent;
import org.churnsignals.schema.OrderEvent;
import org.churnsignals.schema.PriceEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaRegistriesTest {

  private final String scope = "test-" + UUID.randomUUID();
  private final String otherScope = scope + "-other";

  @AfterEach
  void dropScopes() {
    InMemorySchemaRegistry.dropScope(scope);
    InMemorySchemaRegistry.dropScope(otherScope);
  }

  @Test
  void aMockUrlGivesTheSameRegistryEachTimeForOneScope() {
    SchemaRegistry first = SchemaRegistries.forUrl("mock://" + scope);
    SchemaRegistry second = SchemaRegistries.forUrl("mock://" + scope);

    int id = first.register("orders-value", OrderEvent.getClassSchema());

    assertThat(second).isSameAs(first);
    assertThat(second.schemaById(id)).isEqualTo(OrderEvent.getClassSchema());
  }

  @Test
  void differentMockScopesKeepSeparateSchemas() {
    SchemaRegistry one = SchemaRegistries.forUrl("mock://" + scope);
    SchemaRegistry other = SchemaRegistries.forUrl("mock://" + otherScope);

    one.register("orders-value", OrderEvent.getClassSchema());

    assertThat(other).isNotSameAs(one);
    assertThatThrownBy(() -> other.schemaById(1)).isInstanceOf(UnknownSchemaIdException.class);
  }

  @Test
  void aDroppedScopeStartsEmptyOnItsNextUse() {
    SchemaRegistries.forUrl("mock://" + scope).register("orders-value", OrderEvent.getClassSchema());

    InMemorySchemaRegistry.dropScope(scope);

    assertThatThrownBy(() -> SchemaRegistries.forUrl("mock://" + scope).schemaById(1))
        .isInstanceOf(UnknownSchemaIdException.class);
  }

  @Test
  void theInMemoryRegistryNumbersSchemasFromOneInRegistrationOrder() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    assertThat(registry.register("prices-value", PriceEvent.getClassSchema())).isEqualTo(1);
    assertThat(registry.register("orders-value", OrderEvent.getClassSchema())).isEqualTo(2);
    assertThat(registry.register("contacts-value", ContactEvent.getClassSchema())).isEqualTo(3);
  }

  @Test
  void theInMemoryRegistryGivesTheSameSchemaTheSameIdUnderAnySubject() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    int id = registry.register("orders-value", OrderEvent.getClassSchema());

    assertThat(registry.register("orders-value", OrderEvent.getClassSchema())).isEqualTo(id);
    assertThat(registry.register("orders-archive-value", OrderEvent.getClassSchema())).isEqualTo(id);
    assertThat(registry.versions("orders-value")).containsExactly(id);
  }

  @Test
  void theInMemoryRegistryNamesTheUnknownIdAndItsScope() {
    SchemaRegistry registry = SchemaRegistries.forUrl("mock://" + scope);
    registry.register("orders-value", OrderEvent.getClassSchema());

    assertThatThrownBy(() -> registry.schemaById(7))
        .isInstanceOfSatisfying(UnknownSchemaIdException.class, e -> assertThat(e.id()).isEqualTo(7))
        .hasMessage("unknown schema id 7: not in the schema registry mock://" + scope + " (it holds only id 1)");
  }

  @Test
  void anHttpUrlGivesOneClientPerUrl() {
    SchemaRegistry first = SchemaRegistries.forUrl("http://127.0.0.1:8081");

    assertThat(first).isInstanceOf(HttpSchemaRegistry.class);
    assertThat(SchemaRegistries.forUrl("http://127.0.0.1:8081")).isSameAs(first);
    assertThat(SchemaRegistries.forUrl("https://127.0.0.1:8081")).isNotSameAs(first);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://registry:8081", "localhost:8081", "registry", "", "mock://", "http://", "http://a:1,http://b:2"})
  void rejectsAnUnusableUrlWithOneLineNamingTheExpectedForms(String url) {
    assertThatThrownBy(() -> SchemaRegistries.forUrl(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema registry")
        .hasMessageNotContaining("\n")
        .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("http://HOST:PORT", "mock://demo", "give one URL"));
  }

  @Test
  void rejectsAnUnsupportedUrlWithoutRepeatingItsPassword() {
    assertThatThrownBy(() -> SchemaRegistries.forUrl("ftp://alice:s3cret@registry:8081"))
        .hasMessage("schema registry URL 'ftp://alice:***@registry:8081' is not supported "
            + "(expected http://HOST:PORT, https://HOST:PORT or mock://SCOPE)");
  }
}

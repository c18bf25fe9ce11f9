package org.churnsignals.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.churnsignals.schema.ContactChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {

  @TempDir
  Path dir;

  private Path file(String... lines) throws IOException {
    Path file = dir.resolve("churn-signals.properties");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private static ChurnConfig load(Path file, Map<String, String> environment) {
    return ChurnConfig.from(Settings.load(file, environment, Map.of()));
  }

  private String problemWith(Path file, Map<String, String> environment) {
    Throwable thrown = catchThrowable(() -> load(file, environment));
    assertThat(thrown).isInstanceOf(InvalidConfigurationException.class);
    assertThat(thrown.getMessage()).as("one line").doesNotContain("\n");
    return thrown.getMessage();
  }

  // --- layers --------------------------------------------------------------------------------------

  @Test
  void theDefaultsLoadWithTheDocumentedValues() {
    ChurnConfig config = ChurnConfig.defaults();

    assertThat(config.applicationId()).isEqualTo("churn-signals");
    assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(config.processingGuarantee()).isEqualTo("exactly_once_v2");
    assertThat(config.topics()).isEqualTo(new ChurnConfig.Topics(
        "orders", "contacts", "returns", "prices", "churn-alerts", "customer-risk", "churn-signals", "churn-dead-letters", 3));
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.http().bind()).isEqualTo("127.0.0.1");
    assertThat(config.http().authenticated()).isFalse();
    assertThat(config.risk().window()).isEqualTo(Duration.ofDays(30));
    assertThat(config.risk().cooldown()).isEqualTo(Duration.ofDays(7));
    assertThat(config.risk().valueWindow()).isEqualTo(Duration.ofDays(90));
    assertThat(config.contacts().callbackWindow()).isEqualTo(Duration.ofHours(4));
    assertThat(config.contacts().responseDue()).containsEntry(ContactChannel.EMAIL, Duration.ofHours(24));
    assertThat(config.returns().refundPolicy()).isEqualTo(Duration.ofDays(14));
    assertThat(config.prices().protectionWindow()).isEqualTo(Duration.ofDays(14));
    assertThat(config.prices().minDrop()).isEqualTo(0.05);
  }

  @Test
  void aFileOverridesTheDefaults() throws IOException {
    ChurnConfig config = load(file("risk.window=20d", "topics.orders=shop-orders"), Map.of());

    assertThat(config.risk().window()).isEqualTo(Duration.ofDays(20));
    assertThat(config.topics().orders()).isEqualTo("shop-orders");
    assertThat(config.topics().contacts()).isEqualTo("contacts");
  }

  @Test
  void anEnvironmentVariableOverridesTheFile() throws IOException {
    ChurnConfig config = load(file("risk.window=20d"), Map.of("CHURN_RISK_WINDOW", "45d"));

    assertThat(config.risk().window()).isEqualTo(Duration.ofDays(45));
  }

  @Test
  void anEnvironmentVariableNamesAHyphenatedKeyWithUnderscores() {
    ChurnConfig config = load(null, Map.of("CHURN_CONTACTS_RESPONSE_DUE_EMAIL", "12h", "CHURN_TOPICS_DEAD_LETTERS", "bad-records"));

    assertThat(config.contacts().responseDue()).containsEntry(ContactChannel.EMAIL, Duration.ofHours(12));
    assertThat(config.topics().deadLetters()).isEqualTo("bad-records");
  }

  @Test
  void aTopicOfASourceAddedLaterCanBeNamedWithoutDeclaringIt() throws IOException {
    ChurnConfig config = load(file("topics.surveys=customer-surveys"), Map.of("CHURN_TOPICS_NPS_SCORES", "nps"));

    assertThat(config.settings().string("topics.surveys")).isEqualTo("customer-surveys");
    assertThat(config.settings().string("topics.nps-scores")).isEqualTo("nps");
  }

  @Test
  void aCommandLineOverrideWinsOverTheEnvironment() {
    ChurnConfig config = ChurnConfig.from(
        Settings.load(null, Map.of("CHURN_HTTP_PORT", "9090"), Map.of("http.port", "9191")));

    assertThat(config.http().port()).isEqualTo(9191);
  }

  @Test
  void everySettingHasItsOwnEnvironmentVariable() {
    Map<String, Long> keysPerVariable = Settings.defaults().keys().stream()
        .collect(Collectors.groupingBy(Settings::environmentName, Collectors.counting()));

    assertThat(keysPerVariable).allSatisfy((variable, keys) -> assertThat(keys).as(variable).isEqualTo(1));
  }

  @Test
  void variablesWithoutThePrefixAndTheLaunchersOwnAreNotSettings() {
    ChurnConfig config = load(null, Map.of("PATH", "/usr/bin", "HOME", "/root", "CHURN_JAVA_OPTS", "-Xmx1g"));

    assertThat(config).isNotNull();
  }

  @Test
  void kafkaSettingsPassThroughFromTheFileAndTheEnvironment() throws IOException {
    ChurnConfig config = load(file("kafka.max.poll.records=200"), Map.of("CHURN_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));

    assertThat(config.settings().kafkaSettings())
        .containsEntry("max.poll.records", "200")
        .containsEntry("security.protocol", "SASL_SSL");
  }

  // --- rejections ----------------------------------------------------------------------------------

  @Test
  void aBadValueInAFileNamesTheSettingAndTheFile() throws IOException {
    Path file = file("risk.half-life=ten days");

    assertThat(problemWith(file, Map.of())).isEqualTo(
        "setting 'risk.half-life' (from file " + file + ") is not a duration like 90s, 15m, 4h or 14d, got 'ten days'");
  }

  @Test
  void aBadValueInTheEnvironmentNamesTheVariable() {
    assertThat(problemWith(null, Map.of("CHURN_HTTP_PORT", "eighty"))).isEqualTo(
        "setting 'http.port' (from environment variable CHURN_HTTP_PORT) is not a whole number, got 'eighty'");
  }

  @Test
  void aNumberOutOfItsRangeIsRejected() throws IOException {
    assertThat(problemWith(file("risk.level.hysteresis=80"), Map.of()))
        .startsWith("setting 'risk.level.hysteresis' (from file ")
        .endsWith("must be between 0 and 50, got '80'");
  }

  @Test
  void aZeroDurationIsRejected() {
    assertThat(problemWith(null, Map.of("CHURN_CONTACTS_CALLBACK_WINDOW", "0h")))
        .contains("'contacts.callback-window'").contains("must be longer than zero");
  }

  @Test
  void anUnknownKeyInAFileIsRejected() throws IOException {
    Path file = file("risk.windw=20d");

    assertThat(problemWith(file, Map.of())).isEqualTo(
        "unknown setting 'risk.windw' (from file " + file + "); see config/churn-signals.properties for every setting");
  }

  @Test
  void anUnknownPrefixedEnvironmentVariableIsRejected() {
    assertThat(problemWith(null, Map.of("CHURN_RISK_WINDOWS", "3d"))).isEqualTo(
        "unknown setting in environment variable CHURN_RISK_WINDOWS; see config/churn-signals.properties for every setting");
  }

  @Test
  void aMissingFileIsRejected() {
    Path missing = dir.resolve("nowhere.properties");

    assertThat(problemWith(missing, Map.of())).isEqualTo("configuration file " + missing + " does not exist");
  }

  @Test
  void thresholdsOutOfOrderAreRejectedNamingTheSettingThatWasChanged() throws IOException {
    Path file = file("risk.level.elevated=60");

    assertThat(problemWith(file, Map.of())).isEqualTo("risk levels must rise from elevated to high to critical, got "
        + "'risk.level.elevated' 60 (from file " + file + "), 'risk.level.high' 50 (from default), "
        + "'risk.level.critical' 75 (from default)");
  }

  @Test
  void aHighThresholdAboveTheCriticalOneIsRejected() {
    assertThat(problemWith(null, Map.of("CHURN_RISK_LEVEL_HIGH", "80")))
        .contains("'risk.level.high' 80 (from environment variable CHURN_RISK_LEVEL_HIGH)");
  }

  @Test
  void businessHoursThatCloseBeforeTheyOpenAreRejected() {
    assertThat(problemWith(null, Map.of("CHURN_CONTACTS_BUSINESS_HOURS_CLOSE", "07:00")))
        .isEqualTo("setting 'contacts.business-hours.close' (from environment variable CHURN_CONTACTS_BUSINESS_HOURS_CLOSE)"
            + " must be after contacts.business-hours.open, got '07:00'");
  }

  @Test
  void anUnknownCurrencyIsRejected() {
    assertThatThrownBy(() -> load(null, Map.of("CHURN_DISPLAY_CURRENCY", "DOLLARS")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'display.currency'").hasMessageContaining("ISO 4217");
  }
}

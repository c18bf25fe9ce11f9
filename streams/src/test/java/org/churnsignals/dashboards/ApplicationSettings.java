package org.churnsignals.dashboards;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application's settings as the stack's checks see them: the documented defaults file
 * (config/churn-signals.properties) when this checkout has one, else the keys and defaults the
 * configuration is specified with. Only here would a switch to the configuration class itself happen.
 */
final class ApplicationSettings {

  private static final Map<String, String> SPECIFIED_DEFAULTS = Map.ofEntries(
      Map.entry("application.id", "churn-signals"),
      Map.entry("kafka.bootstrap.servers", "localhost:9092"),
      Map.entry("schema.registry.url", "http://localhost:8081"),
      Map.entry("processing.guarantee", "exactly_once_v2"),
      Map.entry("state.dir", ""),
      Map.entry("num.stream.threads", "1"),
      Map.entry("http.port", "8080"),
      Map.entry("http.bind", "127.0.0.1"),
      Map.entry("http.token", ""),
      Map.entry("application.server", ""),
      Map.entry("topics.orders", "orders"),
      Map.entry("topics.contacts", "contacts"),
      Map.entry("topics.returns", "returns"),
      Map.entry("topics.prices", "prices"),
      Map.entry("topics.alerts", "churn-alerts"),
      Map.entry("topics.risk", "customer-risk"),
      Map.entry("topics.signals", "churn-signals"),
      Map.entry("topics.dead-letters", "churn-dead-letters"),
      Map.entry("topics.partitions", "3"));

  /** A setting left commented out in the defaults file is still a setting. */
  private static final Pattern SETTING_LINE = Pattern.compile("^#?\\s*([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)\\s*=");

  private ApplicationSettings() {}

  static String source() {
    return fromFile() ? StackFiles.applicationConfig().toString() : "the specified configuration keys";
  }

  static boolean fromFile() {
    return Files.exists(StackFiles.applicationConfig());
  }

  static Set<String> keys() {
    if (!fromFile()) {
      return new TreeSet<>(SPECIFIED_DEFAULTS.keySet());
    }
    Set<String> keys = new TreeSet<>(defaults().keySet());
    try {
      for (String line : Files.readAllLines(StackFiles.applicationConfig(), StandardCharsets.UTF_8)) {
        Matcher matcher = SETTING_LINE.matcher(line);
        if (matcher.find()) {
          keys.add(matcher.group(1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return keys;
  }

  static Optional<String> defaultValue(String key) {
    return Optional.ofNullable(defaults().get(key));
  }

  /** Every topic the application reads or writes, by its setting: topics.orders -> orders. */
  static Map<String, String> topics() {
    Map<String, String> topics = new TreeMap<>();
    defaults().forEach((key, value) -> {
      if (key.startsWith("topics.") && !key.equals("topics.partitions")) {
        topics.put(key, value);
      }
    });
    return topics;
  }

  /** CHURN_ + the key upper-cased with '.' and '-' turned into '_'. */
  static String environmentVariable(String key) {
    return "CHURN_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static Map<String, String> defaults() {
    if (!fromFile()) {
      return SPECIFIED_DEFAULTS;
    }
    try (Reader reader = Files.newBufferedReader(StackFiles.applicationConfig(), StandardCharsets.UTF_8)) {
      Properties properties = new Properties();
      properties.load(reader);
      Map<String, String> defaults = new TreeMap<>();
      properties.stringPropertyNames().forEach(key -> defaults.put(key, properties.getProperty(key).trim()));
      return defaults;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package org.churnsignals.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Raw settings in layers: bundled defaults, then a file, then environment variables, then command-line
 * overrides. Every value remembers where it came from, so an error can say which layer to fix.
 */
public final class Settings {

  public static final String DEFAULTS_RESOURCE = "/churn-signals.properties";
  static final String ENV_PREFIX = "CHURN_";
  /** Environment variables the launcher itself reads; they are not settings. */
  private static final Set<String> LAUNCHER_VARIABLES = Set.of("CHURN_JAVA_OPTS");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> origins = new LinkedHashMap<>();

  private Settings() {}

  public static Settings load(Path file, Map<String, String> environment, Map<String, String> overrides) {
    Settings settings = new Settings();
    settings.putAll(bundledDefaults(), "default", true);
    if (file != null) {
      settings.putAll(readFile(file), "file " + file, false);
    }
    settings.putEnvironment(environment);
    overrides.forEach((key, value) -> settings.put(key, value, "command line", false));
    return settings;
  }

  /** Defaults only, for tests and replay. */
  public static Settings defaults() {
    return load(null, Map.of(), Map.of());
  }

  public Settings with(String key, String value) {
    Settings copy = new Settings();
    copy.values.putAll(values);
    copy.origins.putAll(origins);
    copy.put(key, value, "override", false);
    return copy;
  }

  public static String environmentName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public Set<String> keys() {
    return values.keySet();
  }

  /** Every kafka.* setting without its prefix, for Kafka Streams and its clients. */
  public Map<String, String> kafkaSettings() {
    Map<String, String> kafka = new TreeMap<>();
    values.forEach((key, value) -> {
      if (key.startsWith("kafka.") && !value.isBlank()) {
        kafka.put(key.substring("kafka.".length()), value);
      }
    });
    return kafka;
  }

  public String string(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new InvalidConfigurationException("setting '" + key + "' is missing");
    }
    return value.trim();
  }

  public String nonBlank(String key) {
    String value = string(key);
    if (value.isEmpty()) {
      throw invalid(key, value, "must not be empty");
    }
    return value;
  }

  public int integer(String key, int min, int max) {
    String value = string(key);
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        throw invalid(key, value, "must be between " + min + " and " + max);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(key, value, "is not a whole number");
    }
  }

  public double decimal(String key, double min, double max) {
    String value = string(key);
    try {
      double parsed = Double.parseDouble(value);
      if (!(parsed >= min && parsed <= max)) {
        throw invalid(key, value, "must be between " + min + " and " + max);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(key, value, "is not a number");
    }
  }

  public Duration duration(String key) {
    String value = string(key);
    Matcher matcher = DURATION.matcher(value.toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw invalid(key, value, "is not a duration like 90s, 15m, 4h or 14d");
    }
    long amount = Long.parseLong(matcher.group(1));
    Duration duration = switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
    if (duration.isZero()) {
      throw invalid(key, value, "must be longer than zero");
    }
    return duration;
  }

  public LocalTime timeOfDay(String key) {
    String value = string(key);
    try {
      return LocalTime.parse(value);
    } catch (RuntimeException e) {
      throw invalid(key, value, "is not a time of day like 08:00");
    }
  }

  public ZoneId zone(String key) {
    String value = string(key);
    try {
      return ZoneId.of(value);
    } catch (RuntimeException e) {
      throw invalid(key, value, "is not a time zone like UTC or Europe/London");
    }
  }

  public Set<DayOfWeek> days(String key) {
    String value = string(key);
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String day : value.split(",")) {
      try {
        days.add(DayOfWeek.valueOf(day.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw invalid(key, value, "'" + day.trim() + "' is not a day of the week like MONDAY");
      }
    }
    return days;
  }

  /** Where a setting's value came from: "default", "file ...", "environment variable ...", "command line". */
  public String origin(String key) {
    return origins.getOrDefault(key, "default");
  }

  public InvalidConfigurationException invalid(String key, String value, String problem) {
    return new InvalidConfigurationException(
        "setting '" + key + "' (from " + origins.getOrDefault(key, "default") + ") " + problem + ", got '" + value + "'");
  }

  private void putAll(Map<String, String> layer, String origin, boolean declares) {
    layer.forEach((key, value) -> put(key, value, origin, declares));
  }

  private void put(String key, String value, String origin, boolean declares) {
    // kafka.* passes through to Kafka; topics.* may name the topic of a signal source added later.
    if (!declares && !values.containsKey(key) && !key.startsWith("kafka.") && !key.startsWith("topics.")) {
      throw new InvalidConfigurationException(
          "unknown setting '" + key + "' (from " + origin + "); see config/churn-signals.properties for every setting");
    }
    values.put(key, value);
    origins.put(key, origin);
  }

  private void putEnvironment(Map<String, String> environment) {
    Map<String, String> keyByVariable = new LinkedHashMap<>();
    values.keySet().forEach(key -> keyByVariable.put(environmentName(key), key));
    new TreeMap<>(environment).forEach((variable, value) -> {
      if (!variable.startsWith(ENV_PREFIX) || LAUNCHER_VARIABLES.contains(variable)) {
        return;
      }
      String key = keyByVariable.get(variable);
      if (key == null && variable.startsWith(ENV_PREFIX + "KAFKA_")) {
        key = "kafka." + variable.substring((ENV_PREFIX + "KAFKA_").length()).toLowerCase(Locale.ROOT).replace('_', '.');
      }
      if (key == null && variable.startsWith(ENV_PREFIX + "TOPICS_")) {
        key = "topics." + variable.substring((ENV_PREFIX + "TOPICS_").length()).toLowerCase(Locale.ROOT).replace('_', '-');
      }
      if (key == null) {
        throw new InvalidConfigurationException(
            "unknown setting in environment variable " + variable + "; see config/churn-signals.properties for every setting");
      }
      put(key, value, "environment variable " + variable, false);
    });
  }

  private static Map<String, String> bundledDefaults() {
    try (InputStream in = Settings.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + DEFAULTS_RESOURCE);
      }
      return toMap(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read bundled defaults", e);
    }
  }

  private static Map<String, String> readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidConfigurationException("configuration file " + file + " does not exist");
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Properties properties = new Properties();
      properties.load(reader);
      Map<String, String> map = new LinkedHashMap<>();
      properties.stringPropertyNames().stream().sorted().forEach(key -> map.put(key, properties.getProperty(key)));
      return map;
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidConfigurationException("configuration file " + file + " cannot be read: " + e.getMessage());
    }
  }

  private static Map<String, String> toMap(InputStream in) throws IOException {
    Properties properties = new Properties();
    properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    Map<String, String> map = new LinkedHashMap<>();
    properties.stringPropertyNames().stream().sorted().forEach(key -> map.put(key, properties.getProperty(key)));
    return map;
  }
}

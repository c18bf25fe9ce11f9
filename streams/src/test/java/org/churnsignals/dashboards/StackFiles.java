package org.churnsignals.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The files of the docker-compose stack, found from wherever Maven runs the tests. */
final class StackFiles {

  static final String APPLICATION_SERVICE = "churn-signals";

  private static final YAMLMapper YAML = new YAMLMapper();

  private StackFiles() {}

  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("a folder above %s holding docker-compose.yml", Path.of("").toAbsolutePath()).isNotNull();
    return dir;
  }

  static Path composeFile() {
    return root().resolve("docker-compose.yml");
  }

  static Path prometheusConfig() {
    return root().resolve("dashboards/prometheus/prometheus.yml");
  }

  static Path datasourceProvisioning() {
    return root().resolve("dashboards/grafana/provisioning/datasources/prometheus.yml");
  }

  static Path dashboardsFolder() {
    return root().resolve("dashboards/grafana/dashboards");
  }

  static Path applicationConfig() {
    return root().resolve("config/churn-signals.properties");
  }

  static JsonNode compose() {
    return yaml(composeFile());
  }

  static JsonNode applicationService() {
    JsonNode service = compose().path("services").path(APPLICATION_SERVICE);
    assertThat(service.isMissingNode()).as("service %s in docker-compose.yml", APPLICATION_SERVICE).isFalse();
    return service;
  }

  /** The service's environment, written either as a map or as a list of KEY=value. */
  static Map<String, String> environment(JsonNode service) {
    Map<String, String> env = new TreeMap<>();
    JsonNode node = service.path("environment");
    if (node.isArray()) {
      node.forEach(entry -> {
        String[] pair = entry.asText().split("=", 2);
        env.put(pair[0], pair.length > 1 ? pair[1] : "");
      });
    } else {
      node.fields().forEachRemaining(entry -> env.put(entry.getKey(), entry.getValue().asText()));
    }
    return env;
  }

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

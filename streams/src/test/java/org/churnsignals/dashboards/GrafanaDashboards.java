package org.churnsignals.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The provisioned dashboards, read from their JSON files. */
final class GrafanaDashboards {

  private static final ObjectMapper JSON = new ObjectMapper();

  private GrafanaDashboards() {}

  static List<JsonNode> all() {
    try (Stream<Path> files = Files.list(StackFiles.dashboardsFolder())) {
      List<JsonNode> dashboards = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        dashboards.add(JSON.readTree(file.toFile()));
      }
      return dashboards;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode byUid(String uid) {
    return all().stream()
        .filter(d -> d.path("uid").asText().equals(uid))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no dashboard with uid " + uid));
  }

  /** Every panel that shows data, rows left out (including panels folded inside collapsed rows). */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        panel.path("panels").forEach(panels::add);
      } else {
        panels.add(panel);
      }
    }
    return panels;
  }

  static List<PanelQuery> queries() {
    List<PanelQuery> queries = new ArrayList<>();
    for (JsonNode dashboard : all()) {
      for (JsonNode panel : panels(dashboard)) {
        String unit = panel.path("fieldConfig").path("defaults").path("unit").asText("");
        for (JsonNode target : panel.path("targets")) {
          queries.add(new PanelQuery(
              dashboard.path("title").asText(), panel.path("title").asText(), unit, target.path("expr").asText()));
        }
      }
    }
    return queries;
  }
}

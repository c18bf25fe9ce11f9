package org.churnsignals.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusConfigTest {

  @Test
  void scrapesTheApplicationWhereItServesMetrics() {
    Map<String, String> env = StackFiles.environment(StackFiles.applicationService());
    String port = env.getOrDefault("CHURN_HTTP_PORT", ApplicationSettings.defaultValue("http.port").orElseThrow());

    JsonNode job = applicationJob();

    assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
    assertThat(job.path("scheme").asText("http")).isEqualTo("http");
    assertThat(targets(job)).containsExactly(StackFiles.APPLICATION_SERVICE + ":" + port);
  }

  @Test
  void promtoolAcceptsTheConfig() {
    var result = PrometheusTools.run(StackFiles.root(),
        PrometheusTools.promtool().toString(), "check", "config", StackFiles.prometheusConfig().toString());

    assertThat(result.exitCode()).as("promtool says:%n%s", result.output()).isZero();
  }

  @Test
  void grafanaAsksThePrometheusOfTheStack() {
    JsonNode datasource = StackFiles.yaml(StackFiles.datasourceProvisioning()).path("datasources").get(0);
    JsonNode prometheus = StackFiles.compose().path("services").path("prometheus");

    assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
    assertThat(prometheus.path("volumes").toString()).contains("./dashboards/prometheus/prometheus.yml:");
  }

  private static JsonNode applicationJob() {
    for (JsonNode job : StackFiles.yaml(StackFiles.prometheusConfig()).path("scrape_configs")) {
      if (job.path("job_name").asText().equals(StackFiles.APPLICATION_SERVICE)) {
        return job;
      }
    }
    throw new AssertionError("no scrape job named " + StackFiles.APPLICATION_SERVICE + " in " + StackFiles.prometheusConfig());
  }

  private static List<String> targets(JsonNode job) {
    List<String> targets = new ArrayList<>();
    job.path("static_configs").forEach(config -> config.path("targets").forEach(t -> targets.add(t.asText())));
    return targets;
  }
}

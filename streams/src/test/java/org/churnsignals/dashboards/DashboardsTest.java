package org.churnsignals.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.churnsignals.http.ChurnMetrics;
import org.churnsignals.schema.ContactChannel;
import org.churnsignals.schema.RiskLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardsTest {

  @Test
  void thereIsAnOverviewForExecutivesAndAHealthDashboardForOperators() {
    assertThat(GrafanaDashboards.all()).extracting(d -> d.path("title").asText())
        .containsExactlyInAnyOrder("Customer churn overview", "Churn pipeline health");
  }

  @Test
  void everyPanelQueryIsValidPromQL(@TempDir Path dir) throws IOException {
    List<PanelQuery> queries = GrafanaDashboards.queries();

    var result = PrometheusTools.checkQueries(queries, dir);

    assertThat(queries).hasSizeGreaterThan(30);
    assertThat(result.exitCode()).as("promtool says:%n%s", result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: " + queries.size() + " rules found");
  }

  @Test
  void everyApplicationMetricTheDashboardsReadIsOneChurnMetricsExports() {
    Set<String> exported = exportedChurnMetricNames();

    Map<String, String> unknown = new TreeMap<>();
    for (PanelQuery query : GrafanaDashboards.queries()) {
      query.metricNames().stream()
          .filter(name -> name.startsWith("churn_") && !exported.contains(name))
          .forEach(name -> unknown.put(name, query.dashboard() + " / " + query.panel()));
    }

    assertThat(unknown).as("metrics the dashboards read that ChurnMetrics does not export").isEmpty();
  }

  private static final Pattern LABEL_MATCHER =
      Pattern.compile("\\b(level|signal|channel|outcome)\\s*(?:=~|!~|!=|=)\\s*\"([^\"]*)\"");

  @Test
  void labelValuesTheQueriesSelectAreOnesTheApplicationRecords() {
    Map<String, Set<String>> recorded = Map.of(
        "level", names(RiskLevel.values()),
        "channel", names(ContactChannel.values()),
        "outcome", Set.of("early", "on_time", "late", "not_delivered"),
        "signal", SIGNAL_NAMES);

    List<String> unknown = new ArrayList<>();
    for (PanelQuery query : GrafanaDashboards.queries()) {
      Matcher matcher = LABEL_MATCHER.matcher(query.expr());
      while (matcher.find()) {
        for (String value : matcher.group(2).split("\\|")) {
          if (!recorded.get(matcher.group(1)).contains(value)) {
            unknown.add(matcher.group(1) + "=" + value + " in " + query.panel());
          }
        }
      }
    }

    assertThat(unknown).isEmpty();
  }

  @Test
  void everyPanelHasATitleAndADescriptionForReadersWhoAreNotEngineers() {
    for (JsonNode dashboard : GrafanaDashboards.all()) {
      for (JsonNode panel : GrafanaDashboards.panels(dashboard)) {
        assertThat(panel.path("title").asText()).as("a panel title in %s", dashboard.path("title")).isNotBlank();
        assertThat(panel.path("description").asText()).as("description of %s", panel.path("title")).hasSizeGreaterThan(40);
        assertThat(panel.path("fieldConfig").path("defaults").path("unit").asText())
            .as("unit of %s", panel.path("title")).isNotBlank();
      }
    }
  }

  @Test
  void everyPanelAsksTheProvisionedPrometheusDatasource() {
    String uid = StackFiles.yaml(StackFiles.datasourceProvisioning()).path("datasources").get(0).path("uid").asText();

    for (JsonNode dashboard : GrafanaDashboards.all()) {
      for (JsonNode panel : GrafanaDashboards.panels(dashboard)) {
        assertThat(panel.path("datasource").path("uid").asText()).as("datasource of %s", panel.path("title")).isEqualTo(uid);
        assertThat(panel.path("targets")).as("queries of %s", panel.path("title")).isNotEmpty();
        panel.path("targets").forEach(target ->
            assertThat(target.path("datasource").path("uid").asText()).as("datasource of %s", panel.path("title")).isEqualTo(uid));
      }
    }
  }

  @Test
  void moneyIsShownInACurrencyNotInCents() {
    List<PanelQuery> money = GrafanaDashboards.queries().stream()
        .filter(q -> q.expr().contains("_cents"))
        .toList();

    assertThat(money).isNotEmpty().allSatisfy(query -> {
      assertThat(query.expr()).as(query.toString()).containsPattern("/\\s*100\\s*$");
      assertThat(query.unit()).as("unit of %s", query.panel()).startsWith("currency");
    });
  }

  @Test
  void aNewKindOfSignalAppearsOnTheOverviewWithoutEditingIt() {
    List<PanelQuery> everySignal = GrafanaDashboards.queries().stream()
        .filter(q -> q.dashboard().equals("Customer churn overview"))
        .filter(q -> q.expr().matches("(?s).*sum by \\(signal\\) \\(increase\\(churn_signals_raised_total\\[.*"))
        .toList();

    assertThat(everySignal).as("panels that show every signal by its label").hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void answeredInTimeIsJudgedAgainstEachContactsOwnDueTime() {
    PanelQuery panel = GrafanaDashboards.queries().stream()
        .filter(q -> q.panel().equals("Answered within the promised time, by channel"))
        .findFirst().orElseThrow();

    // The application judges each answer against the due time that contact had (promised or the
    // channel's default), so the panel counts its outcome rather than cutting a histogram at one bucket.
    assertThat(panel.expr()).contains("churn_contact_responses_total{outcome=\"on_time\"}");
  }

  @Test
  void panelsHaveTheirOwnIdsAndDoNotOverlap() {
    for (JsonNode dashboard : GrafanaDashboards.all()) {
      Set<Integer> ids = new HashSet<>();
      Set<String> cells = new HashSet<>();
      for (JsonNode panel : dashboard.path("panels")) {
        assertThat(ids.add(panel.path("id").asInt())).as("id of %s is unique", panel.path("title")).isTrue();
        JsonNode grid = panel.path("gridPos");
        assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as("%s fits the width", panel.path("title"))
            .isLessThanOrEqualTo(24);
        for (int x = grid.path("x").asInt(); x < grid.path("x").asInt() + grid.path("w").asInt(); x++) {
          for (int y = grid.path("y").asInt(); y < grid.path("y").asInt() + grid.path("h").asInt(); y++) {
            assertThat(cells.add(x + "," + y)).as("%s overlaps another panel at %s,%s", panel.path("title"), x, y).isTrue();
          }
        }
      }
    }
  }

  @Test
  void grafanaLoadsTheDashboardsFromWhereComposeMountsThem() {
    JsonNode provider = StackFiles.yaml(
        StackFiles.root().resolve("dashboards/grafana/provisioning/dashboards/churn-signals.yml")).path("providers").get(0);
    String mounts = StackFiles.compose().path("services").path("grafana").path("volumes").toString();

    assertThat(mounts).contains("./dashboards/grafana/dashboards:" + provider.path("options").path("path").asText());
    assertThat(mounts).contains("./dashboards/grafana/provisioning:/etc/grafana/provisioning");
  }

  /** The signal names of the contract; every one may appear as a `signal` label. */
  static final Set<String> SIGNAL_NAMES = Set.of("BROKEN_PROMISE", "SLOW_RESPONSE", "UNANSWERED_CALL",
      "DIFFICULT_RETURN", "DEFECTIVE_PRODUCT", "PRICE_DROP_AFTER_PURCHASE", "OVERCHARGED", "OVER_DELIVERED",
      "SERVICE_RECOVERY");

  /** What ChurnMetrics puts on /metrics once each of its recorders has been used. */
  static Set<String> exportedChurnMetricNames() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ChurnMetrics metrics = new ChurnMetrics(registry);
    metrics.eventReceived("orders", Duration.ofSeconds(2));
    metrics.signalRaised("BROKEN_PROMISE");
    metrics.alertRaised(RiskLevel.HIGH);
    metrics.contactOpened("PHONE", true);
    metrics.contactResponded("PHONE", Duration.ofMinutes(3), true);
    metrics.delivery("late", Duration.ofHours(5));
    metrics.returnProcessed(Duration.ofDays(3));
    metrics.deadLetter("orders", "invalid-event");
    metrics.unmatchedEvent("orders");

    Set<String> names = new TreeSet<>();
    for (String line : registry.scrape().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  private static Set<String> names(Enum<?>[] values) {
    return new TreeSet<>(Arrays.stream(values).map(Enum::name).toList());
  }
}

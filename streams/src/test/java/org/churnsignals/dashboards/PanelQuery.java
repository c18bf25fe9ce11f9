package org.churnsignals.dashboards;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One query of one Grafana panel, as written in the dashboard and as Prometheus can run it. */
record PanelQuery(String dashboard, String panel, String unit, String expr) {

  /**
   * Metric names start with the prefix of the library that exports them; no label name in these
   * dashboards does, so the prefix tells names from labels without a PromQL parser.
   */
  private static final Pattern METRIC_NAME =
      Pattern.compile("(?<![\\w\"])((?:churn|kafka|jvm|process|system)_\\w+)");

  /** Grafana's built-in variables, given values that need at least a minute of samples. */
  String promql() {
    return expr.replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "1h");
  }

  Set<String> metricNames() {
    Set<String> names = new LinkedHashSet<>();
    Matcher matcher = METRIC_NAME.matcher(expr.replaceAll("\"[^\"]*\"", "\"\""));
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  @Override
  public String toString() {
    return dashboard + " / " + panel + ": " + expr;
  }
}

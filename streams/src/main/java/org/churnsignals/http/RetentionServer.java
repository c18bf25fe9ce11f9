package org.churnsignals.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.churnsignals.http.ClusterRetentionView.Gathered;
import org.churnsignals.http.RetentionView.AlertView;
import org.churnsignals.http.RetentionView.AtRiskCustomer;
import org.churnsignals.schema.RiskLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's one HTTP server: the retention API and console for agents, the internal endpoints
 * that instances ask each other, health probes and the Prometheus scrape.
 *
 * <pre>
 * GET /api/customers/{id}/risk                       CustomerProfile; 404 never seen; 503 its instance is down
 * GET /api/customers/at-risk?level=ELEVATED&amp;limit=50  {minLevel, limit, customers, unavailableInstances}
 * GET /api/alerts?since=ISO&amp;level=&amp;limit=50         {since, minLevel, limit, alerts, unavailableInstances}
 * GET /internal/customers/{id}, /internal/at-risk, /internal/alerts   this instance's own state, bare JSON
 * GET /health/live, /health/ready                     200 / 503 with {status}
 * GET /metrics                                        Prometheus text 0.0.4
 * GET /                                               the console (static files from classpath /console)
 * </pre>
 *
 * <p>{@code level} is a minimum, any case; {@code limit} 1 to 500; {@code since} defaults to seven days ago.
 * Anything else is a 400 whose {@code error} says what is wrong. A list missing an instance's part still
 * answers 200, names the instances in {@code unavailableInstances} and the {@value #MISSING_INSTANCES_HEADER}
 * header.
 *
 * <p>With a token set, {@code /api/*} and {@code /internal/*} need {@code Authorization: Bearer TOKEN}. The
 * console's static files load without it (they hold no customer data); its script takes the token from
 * {@code ?token=} once or asks for it, and keeps it in the tab's sessionStorage. {@code /health/*} and
 * {@code /metrics} stay open: probes and scrapers rarely carry credentials, and neither says anything about
 * a single customer (metric labels never name one). Request paths, which carry customer ids, are not logged.
 */
public final class RetentionServer implements AutoCloseable {

  /** How the server listens. {@code token} empty: no authentication. {@code port} 0: any free port. */
  public record Settings(String bind, int port, String token) {
    public Settings {
      if (bind == null || bind.isBlank()) {
        throw new IllegalArgumentException("http.bind must be an address to listen on, e.g. 127.0.0.1");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("http.port must be between 0 and 65535, got " + port);
      }
      token = token == null ? "" : token.strip();
    }

    public boolean tokenRequired() {
      return !token.isEmpty();
    }
  }

  public static final int MAX_LIMIT = 500;
  public static final int DEFAULT_LIMIT = 50;
  /** Agents work the list from the top, so ELEVATED costs nothing there and shows who is sliding early. */
  public static final RiskLevel DEFAULT_AT_RISK_LEVEL = RiskLevel.ELEVATED;
  public static final Duration DEFAULT_ALERTS_WINDOW = Duration.ofDays(7);
  public static final String MISSING_INSTANCES_HEADER = "Churn-Unavailable-Instances";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private static final Logger log = LoggerFactory.getLogger(RetentionServer.class);
  private static final String LEVELS =
      Arrays.stream(RiskLevel.values()).map(Enum::name).collect(Collectors.joining(", "));

  private final Javalin app;

  private RetentionServer(Javalin app) {
    this.app = app;
  }

  /**
   * Starts listening. {@code view} answers the public API; when it is a {@link ClusterRetentionView},
   * its lists say which instances did not answer, and the internal endpoints answer from its local view.
   */
  public static RetentionServer start(
      Settings settings, RetentionView view, PrometheusMeterRegistry registry, BooleanSupplier ready) {
    RetentionView local = view instanceof ClusterRetentionView cluster ? cluster.local() : view;
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.startupWatcherEnabled = false;
      config.jsonMapper(new JavalinJackson(RetentionJson.mapper(), false));
      config.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = "/console";
        files.location = Location.CLASSPATH;
        files.headers = Map.of(
            "Cache-Control", "no-cache",
            // The console fetches and runs nothing from anywhere but this server.
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'",
            "X-Content-Type-Options", "nosniff",
            // A ?token= in the address must not travel to other sites.
            "Referrer-Policy", "no-referrer");
      });
    });

    app.before("/api/*", ctx -> requireToken(ctx, settings));
    app.before("/internal/*", ctx -> requireToken(ctx, settings));
    app.after("/api/*", ctx -> ctx.header("Cache-Control", "no-store"));

    app.get("/api/customers/at-risk", ctx -> {
      RiskLevel level = level(ctx).orElse(DEFAULT_AT_RISK_LEVEL);
      int limit = limit(ctx);
      Gathered<AtRiskCustomer> found = view instanceof ClusterRetentionView cluster
          ? cluster.atRiskAcrossInstances(level, limit)
          : new Gathered<>(view.atRisk(level, limit), List.of());
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("minLevel", level);
      body.put("limit", limit);
      body.put("customers", found.items());
      answerGathered(ctx, body, found);
    });
    app.get("/api/customers/{id}/risk", ctx -> {
      String id = ctx.pathParam("id");
      view.customer(id).ifPresentOrElse(ctx::json, () -> notFound(ctx, id));
    });
    app.get("/api/alerts", ctx -> {
      Instant since = since(ctx);
      RiskLevel level = level(ctx).orElse(null);
      int limit = limit(ctx);
      Gathered<AlertView> found = view instanceof ClusterRetentionView cluster
          ? cluster.alertsAcrossInstances(since, level, limit)
          : new Gathered<>(view.alerts(since, level, limit), List.of());
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("since", since);
      body.put("minLevel", level);
      body.put("limit", limit);
      body.put("alerts", found.items());
      answerGathered(ctx, body, found);
    });

    // What peers ask: this instance's own state only, so a forwarded question is never forwarded again.
    app.get("/internal/customers/{id}", ctx -> {
      String id = ctx.pathParam("id");
      local.customer(id).ifPresentOrElse(ctx::json, () -> notFound(ctx, id));
    });
    app.get("/internal/at-risk", ctx ->
        ctx.json(local.atRisk(level(ctx).orElse(DEFAULT_AT_RISK_LEVEL), limit(ctx))));
    app.get("/internal/alerts", ctx -> ctx.json(local.alerts(since(ctx), level(ctx).orElse(null), limit(ctx))));

    app.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
    app.get("/health/ready", ctx -> {
      boolean isReady = ready.getAsBoolean();
      ctx.status(isReady ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
          .json(Map.of("status", isReady ? "READY" : "NOT_READY"));
    });
    app.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape(PROMETHEUS_TEXT)));

    app.exception(InvalidQuery.class, (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
    app.exception(InstanceUnavailableException.class, (e, ctx) -> {
      ctx.header("Retry-After", "5");
      ctx.header(MISSING_INSTANCES_HEADER, String.join(",", e.instances()));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", e.getMessage() + "; try again shortly");
      body.put("unavailableInstances", e.instances());
      ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(body);
    });
    app.exception(InvalidStateStoreException.class, (e, ctx) -> {
      ctx.header("Retry-After", "5");
      error(ctx, HttpStatus.SERVICE_UNAVAILABLE,
          "Customer state is not queryable right now (starting, restoring or rebalancing); try again shortly");
    });
    app.exception(Exception.class, (e, ctx) -> {
      // The route template, never the path itself: paths carry customer ids.
      log.error("Request to {} failed", ctx.endpointHandlerPath(), e);
      error(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");
    });
    app.error(HttpStatus.NOT_FOUND, ctx -> {
      String answered = ctx.res().getContentType();
      boolean answeredAlready = answered != null && answered.startsWith("application/json");
      if (!answeredAlready && (ctx.path().startsWith("/api/") || ctx.path().startsWith("/internal/"))) {
        error(ctx, HttpStatus.NOT_FOUND, "No such endpoint");
      }
    });

    app.start(settings.bind(), settings.port());
    log.info("Retention API and console on http://{}:{}/ (bearer token {})",
        settings.bind(), app.port(), settings.tokenRequired() ? "required" : "not required");
    return new RetentionServer(app);
  }

  /** The port listened on: the configured one, or the one chosen for port 0. */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }

  private static void requireToken(Context ctx, Settings settings) {
    if (!settings.tokenRequired()) {
      return;
    }
    String header = ctx.header("Authorization");
    String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : "";
    boolean matches = MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8), settings.token().getBytes(StandardCharsets.UTF_8));
    if (!matches) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"churn-signals\"");
      error(ctx, HttpStatus.UNAUTHORIZED,
          given.isEmpty() ? "A bearer token is required: Authorization: Bearer TOKEN" : "The bearer token is not valid");
      ctx.skipRemainingHandlers();
    }
  }

  private static void answerGathered(Context ctx, Map<String, Object> body, Gathered<?> found) {
    body.put("unavailableInstances", found.unavailableInstances());
    if (!found.complete()) {
      ctx.header(MISSING_INSTANCES_HEADER, String.join(",", found.unavailableInstances()));
    }
    ctx.json(body);
  }

  private static void notFound(Context ctx, String customerId) {
    error(ctx, HttpStatus.NOT_FOUND, "No customer '" + customerId + "' has been seen");
  }

  private static void error(Context ctx, HttpStatus status, String message) {
    ctx.status(status).json(Map.of("error", message));
  }

  private static Optional<RiskLevel> level(Context ctx) {
    String given = ctx.queryParam("level");
    if (given == null || given.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(RiskLevel.valueOf(given.strip().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new InvalidQuery("level must be one of " + LEVELS + ", got '" + given + "'");
    }
  }

  private static int limit(Context ctx) {
    String given = ctx.queryParam("limit");
    if (given == null || given.isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(given.strip());
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below, with the same message as a number out of range
    }
    throw new InvalidQuery("limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + given + "'");
  }

  private static Instant since(Context ctx) {
    String given = ctx.queryParam("since");
    if (given == null || given.isBlank()) {
      return Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(DEFAULT_ALERTS_WINDOW);
    }
    try {
      return Instant.parse(given.strip());
    } catch (DateTimeParseException e) {
      throw new InvalidQuery(
          "since must be an ISO-8601 instant such as 2026-03-01T10:15:00Z, got '" + given + "'");
    }
  }

  /** A question the API cannot answer as asked: a 400 that says what is wrong. */
  private static final class InvalidQuery extends RuntimeException {
    InvalidQuery(String message) {
      super(message);
    }
  }
}

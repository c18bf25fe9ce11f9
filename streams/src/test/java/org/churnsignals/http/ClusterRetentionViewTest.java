package org.churnsignals.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;
import org.churnsignals.http.RetentionView.AlertView;
import org.churnsignals.http.RetentionView.CustomerProfile;
import org.churnsignals.http.RetentionView.Reason;
import org.churnsignals.schema.RiskLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances over real HTTP: this one ("self", never called over the network) and a peer that is a
 * running RetentionServer, a silent socket, or nothing at all. Which customer lives where is given, as
 * Kafka Streams would give it.
 */
class ClusterRetentionViewTest {

  private static final Duration PEER_TIMEOUT = Duration.ofMillis(400);
  private static final HostInfo SELF = new HostInfo("self.invalid", 1);
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  private static final String TOKEN = "cluster-token";

  private final InMemoryRetentionView selfData = new InMemoryRetentionView()
      .add(customer("C-1", 90, RiskLevel.CRITICAL))
      .add(customer("C-3", 50, RiskLevel.ELEVATED))
      .add(alert("a-1", "C-1", RiskLevel.CRITICAL, NOW.minusSeconds(60)))
      .add(alert("a-3", "C-3", RiskLevel.ELEVATED, NOW.minusSeconds(3600)));
  private final InMemoryRetentionView peerData = new InMemoryRetentionView()
      .add(customer("C-2", 70, RiskLevel.HIGH))
      .add(customer("C-4", 20, RiskLevel.LOW))
      .add(alert("a-2", "C-2", RiskLevel.HIGH, NOW.minusSeconds(600)));
  private final ObjectMapper json = RetentionJson.mapper();
  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable each : running) {
      each.close();
    }
  }

  private HostInfo peerServer(String token) {
    RetentionServer peer = RetentionServer.start(new RetentionServer.Settings("127.0.0.1", 0, token), peerData,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true);
    running.add(peer);
    return new HostInfo("127.0.0.1", peer.port());
  }

  /** Accepts connections and never answers: an instance stuck in a long GC pause or a dead network path. */
  private HostInfo silentPeer() throws IOException {
    ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    running.add(socket);
    return new HostInfo("127.0.0.1", socket.getLocalPort());
  }

  private ClusterRetentionView cluster(HostInfo peer, String token) {
    Map<String, HostInfo> owners = Map.of("C-1", SELF, "C-3", SELF, "C-2", peer, "C-4", peer);
    ClusterRetentionView.Placement placement = new ClusterRetentionView.Placement() {
      @Override
      public HostInfo activeHostOf(String customerId) {
        return owners.get(customerId);
      }

      @Override
      public Collection<HostInfo> instances() {
        return List.of(SELF, peer);
      }
    };
    return new ClusterRetentionView(placement, SELF, selfData, token, PEER_TIMEOUT);
  }

  @Test
  void answersACustomerHeldHereFromTheLocalStateWithoutAskingThePeer() throws Exception {
    ClusterRetentionView view = cluster(silentPeer(), "");

    assertThat(view.customer("C-1")).map(CustomerProfile::score).hasValue(90);
  }

  @Test
  void asksThePeerForACustomerItHolds() {
    ClusterRetentionView view = cluster(peerServer(""), "");

    assertThat(view.customer("C-2")).map(CustomerProfile::level).hasValue(RiskLevel.HIGH);
  }

  @Test
  void answersEmptyWhenTheOwningPeerHasNeverSeenTheCustomer() {
    HostInfo peer = peerServer("");
    ClusterRetentionView view = new ClusterRetentionView(new ClusterRetentionView.Placement() {
      @Override
      public HostInfo activeHostOf(String customerId) {
        return peer;
      }

      @Override
      public Collection<HostInfo> instances() {
        return List.of(SELF, peer);
      }
    }, SELF, selfData, "", PEER_TIMEOUT);

    assertThat(view.customer("C-404")).isEmpty();
  }

  @Test
  void answersLocallyWhileNobodyKnowsWhereACustomerLives() throws Exception {
    ClusterRetentionView view = cluster(silentPeer(), "");

    assertThat(view.customer("C-3")).isPresent();
    assertThat(view.customer("C-unplaced")).isEmpty();
  }

  @Test
  void sendsTheTokenToPeersThatRequireIt() {
    ClusterRetentionView view = cluster(peerServer(TOKEN), TOKEN);

    assertThat(view.customer("C-2")).isPresent();
    assertThat(view.atRiskAcrossInstances(RiskLevel.LOW, 10).complete()).isTrue();
  }

  @Test
  void aPeerThatRefusesTheTokenCountsAsUnavailable() {
    ClusterRetentionView view = cluster(peerServer(TOKEN), "wrong");

    assertThatThrownBy(() -> view.customer("C-2")).isInstanceOf(InstanceUnavailableException.class);
  }

  @Test
  void givesUpOnASilentPeerAfterTheTimeoutNamingIt() throws Exception {
    HostInfo silent = silentPeer();
    ClusterRetentionView view = cluster(silent, "");
    long started = System.nanoTime();

    assertThatThrownBy(() -> view.customer("C-2"))
        .isInstanceOfSatisfying(InstanceUnavailableException.class,
            e -> assertThat(e.instances()).containsExactly("127.0.0.1:" + silent.port()));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void mergesAtRiskCustomersOfEveryInstanceHighestScoreFirst() {
    ClusterRetentionView view = cluster(peerServer(""), "");

    ClusterRetentionView.Gathered<RetentionView.AtRiskCustomer> all = view.atRiskAcrossInstances(RiskLevel.LOW, 50);

    assertThat(all.items()).extracting(RetentionView.AtRiskCustomer::customerId).containsExactly("C-1", "C-2", "C-3", "C-4");
    assertThat(all.complete()).isTrue();
  }

  @Test
  void limitsTheMergedListNotEachInstance() {
    ClusterRetentionView view = cluster(peerServer(""), "");

    assertThat(view.atRisk(RiskLevel.ELEVATED, 2))
        .extracting(RetentionView.AtRiskCustomer::customerId).containsExactly("C-1", "C-2");
  }

  @Test
  void mergesAlertsOfEveryInstanceNewestFirst() {
    ClusterRetentionView view = cluster(peerServer(""), "");

    assertThat(view.alerts(NOW.minus(Duration.ofDays(1)), null, 50))
        .extracting(AlertView::alertId).containsExactly("a-1", "a-2", "a-3");
    assertThat(view.alerts(NOW.minus(Duration.ofDays(1)), RiskLevel.HIGH, 50))
        .extracting(AlertView::alertId).containsExactly("a-1", "a-2");
    assertThat(view.alerts(NOW.minus(Duration.ofMinutes(5)), null, 50))
        .extracting(AlertView::alertId).containsExactly("a-1");
  }

  @Test
  void listsWhatItHasAndNamesTheInstanceThatDidNotAnswer() throws Exception {
    HostInfo silent = silentPeer();
    ClusterRetentionView view = cluster(silent, "");

    ClusterRetentionView.Gathered<AlertView> found = view.alertsAcrossInstances(NOW.minus(Duration.ofDays(1)), null, 50);

    assertThat(found.items()).extracting(AlertView::alertId).containsExactly("a-1", "a-3");
    assertThat(found.unavailableInstances()).containsExactly("127.0.0.1:" + silent.port());
  }

  @Test
  void theApiAnswers503ForACustomerOnAnUnreachableInstance() throws Exception {
    HostInfo silent = silentPeer();
    JsonNode answer = publicApi(cluster(silent, ""), "/api/customers/C-2/risk", 503);

    assertThat(answer.get("error").asText())
        .isEqualTo("Instance 127.0.0.1:" + silent.port() + " did not answer within 400 ms (HttpTimeoutException); try again shortly");
    assertThat(answer.get("unavailableInstances").get(0).asText()).isEqualTo("127.0.0.1:" + silent.port());
  }

  @Test
  void theApiMarksAPartialListInItsBodyAndAHeader() throws Exception {
    HostInfo silent = silentPeer();
    HttpResponse<String> response = publicApiResponse(cluster(silent, ""), "/api/customers/at-risk?level=LOW");
    JsonNode answer = json.readTree(response.body());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue(RetentionServer.MISSING_INSTANCES_HEADER)).hasValue("127.0.0.1:" + silent.port());
    assertThat(answer.get("unavailableInstances").get(0).asText()).isEqualTo("127.0.0.1:" + silent.port());
    assertThat(answer.get("customers")).extracting(node -> node.get("customerId").asText()).containsExactly("C-1", "C-3");
  }

  @Test
  void theInternalEndpointsOfAClusteredServerAnswerFromItsOwnStateOnly() throws Exception {
    HostInfo silent = silentPeer();
    ClusterRetentionView view = cluster(silent, "");

    assertThat(publicApiResponse(view, "/internal/customers/C-2").statusCode()).isEqualTo(404);
    assertThat(json.readTree(publicApiResponse(view, "/internal/at-risk?level=LOW").body()))
        .extracting(node -> node.get("customerId").asText()).containsExactly("C-1", "C-3");
  }

  private JsonNode publicApi(ClusterRetentionView view, String path, int expectedStatus) throws Exception {
    HttpResponse<String> response = publicApiResponse(view, path);
    assertThat(response.statusCode()).isEqualTo(expectedStatus);
    return json.readTree(response.body());
  }

  private HttpResponse<String> publicApiResponse(ClusterRetentionView view, String path) throws Exception {
    RetentionServer server = RetentionServer.start(new RetentionServer.Settings("127.0.0.1", 0, ""), view,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true);
    running.add(server);
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static CustomerProfile customer(String id, int score, RiskLevel level) {
    Reason reason = new Reason("BROKEN_PROMISE", score / 2, "Order O-" + id + " arrived late", List.of("ord-" + id));
    return new CustomerProfile(id, score, level, Map.of("BROKEN_PROMISE", score / 2), score * 1000L, NOW,
        List.of(reason), List.of("Apologise and give a firm new date"), List.of(), List.of());
  }

  private static AlertView alert(String alertId, String customerId, RiskLevel level, Instant raisedAt) {
    return new AlertView(alertId, customerId, level, 60, raisedAt, List.of(), List.of(), 1000);
  }
}

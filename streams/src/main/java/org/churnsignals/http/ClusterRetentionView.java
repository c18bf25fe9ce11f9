package org.churnsignals.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.churnsignals.schema.RiskLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers for every customer whichever instance of the application holds them. A customer lives in one
 * partition of the customer store, so their question goes to the instance whose active task owns that
 * partition; lists are asked of every instance and merged. Peers are asked on their internal endpoints,
 * which answer from their own state only, so a question is forwarded at most once.
 */
public final class ClusterRetentionView implements RetentionView {

  public static final Duration DEFAULT_PEER_TIMEOUT = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(ClusterRetentionView.class);
  private static final TypeReference<List<AtRiskCustomer>> AT_RISK_LIST = new TypeReference<>() {};
  private static final TypeReference<List<AlertView>> ALERT_LIST = new TypeReference<>() {};

  /** Highest score first; ties by customer id so that merged answers are stable. */
  static final Comparator<AtRiskCustomer> HIGHEST_SCORE_FIRST =
      Comparator.comparingInt(AtRiskCustomer::score).reversed().thenComparing(AtRiskCustomer::customerId);

  /** Newest first; ties by alert id so that merged answers are stable. */
  static final Comparator<AlertView> NEWEST_FIRST =
      Comparator.comparing(AlertView::raisedAt).reversed().thenComparing(AlertView::alertId);

  private final Placement placement;
  private final HostInfo self;
  private final RetentionView local;
  private final String token;
  private final Duration peerTimeout;
  private final HttpClient http;
  private final ObjectMapper json = RetentionJson.mapper();
  /** Peers whose last answer failed: an outage is logged when it starts and ends, not at every refresh. */
  private final Set<String> peersDown = ConcurrentHashMap.newKeySet();

  /**
   * @param streams the running application
   * @param customerStore the key-value store of customers, keyed by customerId (StringSerializer)
   * @param self this instance's {@code application.server}
   * @param local answers from this instance's own stores
   * @param token the bearer token of the internal endpoints; empty when access is open
   */
  public ClusterRetentionView(
      KafkaStreams streams, String customerStore, HostInfo self, RetentionView local, String token) {
    this(streams, customerStore, self, local, token, DEFAULT_PEER_TIMEOUT);
  }

  public ClusterRetentionView(
      KafkaStreams streams,
      String customerStore,
      HostInfo self,
      RetentionView local,
      String token,
      Duration peerTimeout) {
    this(Placement.of(streams, customerStore), self, local, token, peerTimeout);
  }

  ClusterRetentionView(Placement placement, HostInfo self, RetentionView local, String token, Duration peerTimeout) {
    this.placement = placement;
    this.self = self;
    this.local = local;
    this.token = token == null ? "" : token;
    this.peerTimeout = peerTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(peerTimeout).build();
  }

  /** This instance's own answers: what its internal endpoints serve. */
  public RetentionView local() {
    return local;
  }

  /**
   * @throws InstanceUnavailableException when the customer's instance does not answer in time
   */
  @Override
  public Optional<CustomerProfile> customer(String customerId) {
    HostInfo owner = placement.activeHostOf(customerId);
    if (owner == null || owner.equals(self)) {
      return local.customer(customerId);
    }
    log.debug("Asking {} for customer {}", owner, customerId);
    HttpResponse<String> response;
    try {
      response = send(owner, "/internal/customers/" + URLEncoder.encode(customerId, StandardCharsets.UTF_8))
          .get(peerTimeout.toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InstanceUnavailableException(List.of(address(owner)), "interrupted");
    } catch (ExecutionException | TimeoutException e) {
      throw unavailable(owner, e);
    }
    if (response.statusCode() == 404) {
      answered(owner);
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw unavailable(owner, "answered HTTP " + response.statusCode());
    }
    CustomerProfile profile = read(owner, response.body(), CustomerProfile.class);
    answered(owner);
    return Optional.of(profile);
  }

  /** Every instance's at-risk customers, merged; a peer that did not answer is left out (see {@link #atRiskAcrossInstances}). */
  @Override
  public List<AtRiskCustomer> atRisk(RiskLevel minLevel, int limit) {
    return atRiskAcrossInstances(minLevel, limit).items();
  }

  /** Every instance's alerts, merged; a peer that did not answer is left out (see {@link #alertsAcrossInstances}). */
  @Override
  public List<AlertView> alerts(Instant since, RiskLevel minLevel, int limit) {
    return alertsAcrossInstances(since, minLevel, limit).items();
  }

  public Gathered<AtRiskCustomer> atRiskAcrossInstances(RiskLevel minLevel, int limit) {
    String path = "/internal/at-risk?level=" + minLevel.name() + "&limit=" + limit;
    return gather(() -> local.atRisk(minLevel, limit), path, AT_RISK_LIST, HIGHEST_SCORE_FIRST, limit);
  }

  public Gathered<AlertView> alertsAcrossInstances(Instant since, RiskLevel minLevel, int limit) {
    String path = "/internal/alerts?since=" + since + "&limit=" + limit
        + (minLevel == null ? "" : "&level=" + minLevel.name());
    return gather(() -> local.alerts(since, minLevel, limit), path, ALERT_LIST, NEWEST_FIRST, limit);
  }

  /**
   * Asks every peer at once and this instance meanwhile; each instance's first {@code limit} are enough
   * for the first {@code limit} of all.
   */
  private <T> Gathered<T> gather(
      Supplier<List<T>> localAnswer,
      String path,
      TypeReference<List<T>> type,
      Comparator<T> order,
      int limit) {
    List<HostInfo> peers = new ArrayList<>();
    for (HostInfo instance : new LinkedHashSet<>(placement.instances())) {
      if (!instance.equals(self) && instance.port() >= 0) {
        peers.add(instance);
      }
    }
    List<CompletableFuture<HttpResponse<String>>> asked = new ArrayList<>();
    for (HostInfo peer : peers) {
      asked.add(send(peer, path));
    }
    List<T> merged = new ArrayList<>(localAnswer.get());
    List<String> unavailable = new ArrayList<>();
    long deadline = System.nanoTime() + peerTimeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
    for (int i = 0; i < peers.size(); i++) {
      HostInfo peer = peers.get(i);
      try {
        HttpResponse<String> response =
            asked.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (response.statusCode() != 200) {
          throw unavailable(peer, "answered HTTP " + response.statusCode());
        }
        merged.addAll(read(peer, response.body(), type));
        answered(peer);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        unavailable.add(address(peer));
      } catch (ExecutionException | TimeoutException e) {
        asked.get(i).cancel(true);
        unavailable(peer, e);
        unavailable.add(address(peer));
      } catch (InstanceUnavailableException e) {
        unavailable.add(address(peer));
      }
    }
    merged.sort(order);
    return new Gathered<>(List.copyOf(merged.subList(0, Math.min(limit, merged.size()))), List.copyOf(unavailable));
  }

  private CompletableFuture<HttpResponse<String>> send(HostInfo peer, String pathAndQuery) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address(peer) + pathAndQuery))
        .timeout(peerTimeout)
        .header("Accept", "application/json")
        .GET();
    if (!token.isEmpty()) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  // The parser's message may quote the body, which is customer data: the log gets only what was expected.
  private <T> T read(HostInfo peer, String body, Class<T> type) {
    try {
      return json.readValue(body, type);
    } catch (JsonProcessingException e) {
      throw unavailable(peer, "answered what does not read as a " + type.getSimpleName());
    }
  }

  private <T> T read(HostInfo peer, String body, TypeReference<T> type) {
    try {
      return json.readValue(body, type);
    } catch (JsonProcessingException e) {
      throw unavailable(peer, "answered what does not read as a list");
    }
  }

  private InstanceUnavailableException unavailable(HostInfo peer, Throwable failure) {
    Throwable cause = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
    return unavailable(peer, "did not answer within " + peerTimeout.toMillis() + " ms ("
        + cause.getClass().getSimpleName() + ")");
  }

  // Peer trouble is operational news; the customer asked about stays out of these logs.
  private InstanceUnavailableException unavailable(HostInfo peer, String what) {
    if (peersDown.add(address(peer))) {
      log.warn("Instance {} {}; answers without its part until it is back", address(peer), what);
    } else {
      log.debug("Instance {} {}", address(peer), what);
    }
    return new InstanceUnavailableException(List.of(address(peer)), what);
  }

  private void answered(HostInfo peer) {
    if (peersDown.remove(address(peer))) {
      log.info("Instance {} answers again", address(peer));
    }
  }

  private static String address(HostInfo instance) {
    return instance.host() + ":" + instance.port();
  }

  /** A merged answer, and the instances whose part of it is missing because they did not answer. */
  public record Gathered<T>(List<T> items, List<String> unavailableInstances) {
    public boolean complete() {
      return unavailableInstances.isEmpty();
    }
  }

  /** Which instance holds which customer; Kafka Streams knows, and tests can say. */
  interface Placement {

    /** The instance whose active task holds the customer, or null while nobody knows (e.g. rebalancing). */
    HostInfo activeHostOf(String customerId);

    /** Every instance of the application, this one included. */
    Collection<HostInfo> instances();

    static Placement of(KafkaStreams streams, String customerStore) {
      StringSerializer keys = new StringSerializer();
      return new Placement() {
        @Override
        public HostInfo activeHostOf(String customerId) {
          KeyQueryMetadata metadata;
          try {
            metadata = streams.queryMetadataForKey(customerStore, customerId, keys);
          } catch (IllegalStateException e) {
            throw new InvalidStateStoreException("The application is not running: " + streams.state(), e);
          }
          if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)
              || HostInfo.unavailable().equals(metadata.activeHost())) {
            return null;
          }
          return metadata.activeHost();
        }

        @Override
        public Collection<HostInfo> instances() {
          try {
            return streams.metadataForAllStreamsClients().stream().map(StreamsMetadata::hostInfo).toList();
          } catch (IllegalStateException e) {
            throw new InvalidStateStoreException("The application is not running: " + streams.state(), e);
          }
        }
      };
    }
  }
}

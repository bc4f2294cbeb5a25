package io.tidecast.streams.query;

import io.tidecast.streams.topology.LatestForecast;
import io.tidecast.streams.topology.StoreNames;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The latest forecast of a series, wherever it lives: the streams metadata names the instance that
 * owns the series' partition; this instance answers from its own store or asks that one.
 */
public final class ForecastQueries {

  private final KafkaStreams streams;
  private final HostInfo self;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public ForecastQueries(KafkaStreams streams, HostInfo self) {
    this.streams = streams;
    this.self = self;
  }

  /**
   * The forecast JSON of the newest forecast of {@code series}, or empty if there is none yet.
   *
   * @throws IllegalStateException if the owner cannot be reached or the store is not ready
   *     (rebalancing)
   */
  public Optional<byte[]> latest(String series) {
    KeyQueryMetadata metadata =
        streams.queryMetadataForKey(StoreNames.LATEST_FORECAST, series, new StringSerializer());
    if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      throw new IllegalStateException("the streams metadata is not available yet (starting or rebalancing)");
    }
    HostInfo owner = metadata.activeHost();
    return owner.equals(self) ? local(series) : remote(owner, series);
  }

  /** The owner of a series' forecasts, as host:port. */
  public HostInfo owner(String series) {
    return streams.queryMetadataForKey(StoreNames.LATEST_FORECAST, series, new StringSerializer()).activeHost();
  }

  /** This instance's own store only. */
  public Optional<byte[]> local(String series) {
    ReadOnlyKeyValueStore<String, byte[]> store = streams.store(
        StoreQueryParameters.fromNameAndType(StoreNames.LATEST_FORECAST, QueryableStoreTypes.<String, byte[]>keyValueStore()));
    byte[] stored = store.get(series);
    return stored == null ? Optional.empty() : Optional.of(LatestForecast.json(stored));
  }

  /** The series in this instance's own store (an estimate; 0 while the store is not ready). */
  public long localCount() {
    try {
      return streams.store(StoreQueryParameters.fromNameAndType(StoreNames.LATEST_FORECAST,
          QueryableStoreTypes.<String, byte[]>keyValueStore())).approximateNumEntries();
    } catch (InvalidStateStoreException notReady) {
      return 0;
    }
  }

  private Optional<byte[]> remote(HostInfo owner, String series) {
    URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + QueryServer.PATH
        + URLEncoder.encode(series, StandardCharsets.UTF_8));
    try {
      HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      return switch (response.statusCode()) {
        case 200 -> Optional.of(response.body());
        case 404 -> Optional.empty();
        default -> throw new IllegalStateException("instance " + owner + " answered " + response.statusCode()
            + " for " + series + ": " + new String(response.body(), StandardCharsets.UTF_8));
      };
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach instance " + owner + " that owns " + series + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted asking " + owner + " for " + series, e);
    }
  }
}

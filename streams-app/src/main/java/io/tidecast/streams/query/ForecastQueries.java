package io.tidecast.streams.query;

import io.tidecast.streams.config.SeriesCatalog;
import io.tidecast.streams.topology.IntervalSettings;
import io.tidecast.streams.topology.LatestForecast;
import io.tidecast.streams.topology.StoreNames;
import io.tidecast.streams.topology.StoreViews;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the stores know of a series, wherever it lives: the streams metadata names the instance that
 * owns the series' partition; this instance answers from its own stores or asks that one.
 */
public final class ForecastQueries {

  /** What can be asked of a series, by the name of its path on the query endpoint. */
  public enum View {
    /** The newest forecast, as the JSON of the forecasts topic. */
    LATEST_FORECAST("latest-forecast"),
    /** Online accuracy and interval half-widths by horizon step ({@link StoreViews#accuracyJson}). */
    ACCURACY("accuracy"),
    /** The readings of the current window ({@link StoreViews#readingsJson}). */
    READINGS("readings");

    final String path;

    View(String path) {
      this.path = path;
    }
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int READINGS_SHOWN = 500;

  private final KafkaStreams streams;
  private final HostInfo self;
  private final SeriesCatalog catalog;
  private final IntervalSettings intervals;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public ForecastQueries(KafkaStreams streams, HostInfo self, SeriesCatalog catalog, IntervalSettings intervals) {
    this.streams = streams;
    this.self = self;
    this.catalog = catalog;
    this.intervals = intervals;
  }

  /**
   * The forecast JSON of the newest forecast of {@code series}, or empty if there is none yet.
   *
   * @throws IllegalStateException if the owner cannot be reached or the store is not ready
   *     (rebalancing)
   */
  public Optional<byte[]> latest(String series) {
    return get(View.LATEST_FORECAST, series);
  }

  /**
   * One view of a series, from the instance that owns it.
   *
   * @throws IllegalStateException if the owner cannot be reached or its store is not ready
   */
  public Optional<byte[]> get(View view, String series) {
    KeyQueryMetadata metadata =
        streams.queryMetadataForKey(StoreNames.LATEST_FORECAST, series, new StringSerializer());
    if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      throw new IllegalStateException("the streams metadata is not available yet (starting or rebalancing)");
    }
    HostInfo owner = metadata.activeHost();
    return owner.equals(self) ? local(view, series) : remote(owner, view.path + "/" + encode(series));
  }

  /** The owner of a series, as host:port. */
  public HostInfo owner(String series) {
    return streams.queryMetadataForKey(StoreNames.LATEST_FORECAST, series, new StringSerializer()).activeHost();
  }

  /**
   * This instance's own stores only.
   *
   * @throws IllegalStateException if the store is not ready (starting, restoring or rebalancing)
   */
  public Optional<byte[]> local(View view, String series) {
    return switch (view) {
      case LATEST_FORECAST -> this.<String, Optional<byte[]>>read(StoreNames.LATEST_FORECAST,
          store -> Optional.ofNullable(store.get(series)).map(LatestForecast::json));
      case ACCURACY -> this.<String, Optional<byte[]>>read(StoreNames.ACCURACY,
          store -> Optional.ofNullable(store.get(series)).map(stored -> StoreViews.accuracyJson(series, stored, intervals)));
      case READINGS -> this.<Bytes, Optional<byte[]>>read(StoreNames.READINGS, store -> Optional.ofNullable(
          StoreViews.readingsJson(series, store, catalog.settings(series), READINGS_SHOWN)));
    };
  }

  /**
   * The series with a forecast in this instance's store, sorted.
   *
   * @throws IllegalStateException if the store is not ready (starting, restoring or rebalancing)
   */
  public List<String> localSeries() {
    return this.<String, List<String>>read(StoreNames.LATEST_FORECAST, store -> {
      List<String> series = new ArrayList<>();
      try (KeyValueIterator<String, byte[]> all = store.all()) {
        all.forEachRemaining(kv -> series.add(kv.key));
      }
      return series;
    });
  }

  /**
   * Every series with a forecast, across the instances of the application, sorted.
   *
   * @throws IllegalStateException if an instance cannot be reached
   */
  public List<String> allSeries() {
    TreeSet<String> series = new TreeSet<>();
    for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
      if (instance.hostInfo().equals(self)) {
        series.addAll(localSeries());
      } else {
        remote(instance.hostInfo(), "series").ifPresent(body -> series.addAll(List.of(
            JSON.readValue(body, String[].class))));
      }
    }
    if (streams.metadataForAllStreamsClients().isEmpty()) {
      series.addAll(localSeries());
    }
    return new ArrayList<>(series);
  }

  /** The series in this instance's latest-forecast store (an estimate; 0 while the store is not ready). */
  public long localCount() {
    try {
      return this.<String, Long>read(StoreNames.LATEST_FORECAST, ReadOnlyKeyValueStore::approximateNumEntries);
    } catch (IllegalStateException notReady) {
      return 0;
    }
  }

  /**
   * The answer of {@code query} over a store of this instance. Kafka Streams refuses a store (at
   * lookup, or at any read of the handle) while its thread is starting, restoring or rebalancing.
   *
   * @throws IllegalStateException if the store cannot be read now
   */
  private <K, T> T read(String name, Function<ReadOnlyKeyValueStore<K, byte[]>, T> query) {
    try {
      return query.apply(streams.store(StoreQueryParameters.fromNameAndType(name,
          QueryableStoreTypes.<K, byte[]>keyValueStore())));
    } catch (InvalidStateStoreException notReady) {
      throw new IllegalStateException("store " + name + " cannot be read now (starting, restoring or rebalancing): "
          + notReady.getMessage(), notReady);
    }
  }

  private static String encode(String series) {
    return URLEncoder.encode(series, StandardCharsets.UTF_8);
  }

  private Optional<byte[]> remote(HostInfo owner, String path) {
    URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + QueryServer.PREFIX + path);
    try {
      HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      return switch (response.statusCode()) {
        case 200 -> Optional.of(response.body());
        case 404 -> Optional.empty();
        default -> throw new IllegalStateException("instance " + owner + " answered " + response.statusCode()
            + " for " + path + ": " + new String(response.body(), StandardCharsets.UTF_8));
      };
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach instance " + owner + " for " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted asking " + owner + " for " + path, e);
    }
  }
}

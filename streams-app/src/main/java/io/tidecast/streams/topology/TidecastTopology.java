package io.tidecast.streams.topology;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.streams.config.SeriesCatalog;
import io.tidecast.streams.config.SeriesSettings;
import io.tidecast.streams.config.Topics;
import io.tidecast.streams.message.ReadingParser;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the topology:
 *
 * <pre>
 * readings --> validate --> windows --> forecasts
 *                  |            |
 *                  +------------+-----> dead letters
 * </pre>
 *
 * {@code windows} owns the stores {@link StoreNames#READINGS}, {@link StoreNames#SERIES_STATE},
 * {@link StoreNames#DUE}, {@link StoreNames#RECURRENT_STATE}, {@link StoreNames#ISSUED}, and the
 * queryable {@link StoreNames#LATEST_FORECAST} and {@link StoreNames#ACCURACY}.
 */
public final class TidecastTopology {

  private TidecastTopology() {}

  /**
   * @throws IllegalArgumentException if a series is bound to a model whose input channels are not
   *     the series' channels
   */
  public static Topology build(Topics topics, SeriesCatalog catalog, ModelRouter router, BatchSettings batch) {
    return build(topics, catalog, router, batch, IntervalSettings.DEFAULT, TopologyEvents.NONE);
  }

  /** The topology with interval settings, reporting what it does to {@code events}. */
  public static Topology build(Topics topics, SeriesCatalog catalog, ModelRouter router, BatchSettings batch,
      IntervalSettings intervals, TopologyEvents events) {
    Map<String, Integer> inputLengths = new HashMap<>();
    for (String model : catalog.models()) {
      inputLengths.put(model, router.forModel(model).spec().inputLength());
    }
    check(catalog.defaults(), router, "the default series");
    catalog.configured().forEach((series, settings) -> check(settings, router, "series " + series));
    ReadingParser parser = new ReadingParser(catalog);

    Topology topology = new Topology();
    topology.addSource("readings", new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.readings());
    topology.addProcessor(ValidateProcessor.NAME, () -> new ValidateProcessor(parser, events), "readings");
    topology.addProcessor(WindowProcessor.NAME,
        () -> new WindowProcessor(catalog, router, batch, inputLengths, intervals, events), ValidateProcessor.NAME);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.READINGS),
        Serdes.Bytes(), Serdes.ByteArray()), WindowProcessor.NAME);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SERIES_STATE),
        Serdes.String(), Serdes.ByteArray()), WindowProcessor.NAME);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.DUE),
        Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled(), WindowProcessor.NAME);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.LATEST_FORECAST),
        Serdes.String(), Serdes.ByteArray()), WindowProcessor.NAME);
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(StoreNames.RECURRENT_STATE), Serdes.String(),
        Serdes.ByteArray()), WindowProcessor.NAME);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.ISSUED),
        Serdes.Bytes(), Serdes.ByteArray()), WindowProcessor.NAME);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.ACCURACY),
        Serdes.String(), Serdes.ByteArray()), WindowProcessor.NAME);
    topology.addSink(WindowProcessor.FORECAST_SINK, topics.forecasts(), new StringSerializer(),
        new ByteArraySerializer(), WindowProcessor.NAME);
    topology.addSink(DeadLetters.SINK, topics.deadLetters(), new ByteArraySerializer(), new ByteArraySerializer(),
        ValidateProcessor.NAME, WindowProcessor.NAME);
    return topology;
  }

  private static void check(SeriesSettings settings, ModelRouter router, String what) {
    ForecasterSpec spec = router.forModel(settings.model()).spec();
    if (!spec.inputChannels().equals(settings.channels())) {
      throw new IllegalArgumentException(what + " has channels " + settings.channels() + " but model "
          + settings.model() + " reads " + spec.inputChannels());
    }
  }
}

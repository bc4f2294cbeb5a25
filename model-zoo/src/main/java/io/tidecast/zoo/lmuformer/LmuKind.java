package io.tidecast.zoo.lmuformer;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.spi.ModelSettings;
import io.tidecast.zoo.WindowForecaster;
import io.tidecast.zoo.checkpoint.Checkpoints;
import io.tidecast.zoo.train.GraphKind;
import io.tidecast.zoo.train.GraphModel;
import io.tidecast.zoo.train.TrainableGraph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The LMUFormer as a trainable kind. Options and defaults: {@code d-model} 128,
 * {@code memory-d} 4 (memory channels), {@code order} 64 (Legendre coefficients each),
 * {@code layers} 1, {@code conv-layers} 2, {@code mlp-ratio} 2, {@code dropout} 0.1,
 * {@code linear-head} true, {@code difference} true; trained for up to 10 epochs from {@code lr} 1e-3.
 */
public final class LmuKind implements GraphKind {

  public static final String KIND = "lmuformer";
  static final String SEED = "seed";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String description() {
    return "LMUFormer: Legendre memory with convolutional patch embedding and channel mixer;"
        + " streams one reading at a time";
  }

  @Override
  public Map<String, String> options() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("d-model", "128");
    o.put("memory-d", "4");
    o.put("order", "64");
    o.put("layers", "1");
    o.put("conv-layers", "2");
    o.put("mlp-ratio", "2");
    o.put("dropout", "0.1");
    o.put("linear-head", "true");
    o.put("difference", "true");
    return o;
  }

  @Override
  public Map<String, String> schedule() {
    return Map.of("epochs", "10", "lr", "1e-3");
  }

  @Override
  public GraphModel build(ModelSettings s, TimeSeries train, long seed) {
    return model(LmuGraph.build(config(s, train), DataType.FLOAT, seed));
  }

  /** The shape the options of {@link #options()} (all filled in) describe for these rows. */
  public static LmuConfig config(ModelSettings s, TimeSeries train) {
    List<String> targets = s.targets().isEmpty() ? train.channels() : s.targets();
    return new LmuConfig(s.inputLength(), s.horizon(), train.channels().size(),
        targets.stream().map(train::channelIndex).toList(), s.intOption("d-model", 0),
        s.intOption("memory-d", 0), s.intOption("order", 0), s.intOption("layers", 0),
        s.intOption("conv-layers", 0), s.intOption("mlp-ratio", 0),
        s.doubleOption("dropout", 0), s.booleanOption("linear-head", true),
        s.booleanOption("difference", true));
  }

  /** The trainable model around a graph. */
  public static GraphModel model(LmuGraph graph) {
    return new GraphModel() {
      @Override
      public TrainableGraph graph() {
        return graph;
      }

      @Override
      public Map<String, Object> config() {
        Map<String, Object> c = new TreeMap<>(Checkpoints.toMap(graph.config()));
        c.put(SEED, graph.seed());
        return c;
      }

      @Override
      public WindowForecaster forecaster(ModelId id, ForecasterSpec spec, StandardScaler scaler) {
        return LmuKind.forecaster(id, spec, scaler, graph);
      }
    };
  }

  /** The serving form of a trained graph: the same weights without dropout. */
  public static LmuForecaster forecaster(ModelId id, ForecasterSpec spec, StandardScaler scaler,
      LmuGraph trained) {
    LmuGraph serving = LmuGraph.build(trained.config().forInference(), DataType.FLOAT,
        trained.seed());
    serving.load(trained.weights());
    return new LmuForecaster(id, spec, scaler, serving);
  }
}

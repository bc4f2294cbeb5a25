package io.tidecast.spiking;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.spi.ModelSettings;
import io.tidecast.zoo.WindowForecaster;
import io.tidecast.zoo.checkpoint.Checkpoints;
import io.tidecast.zoo.lmuformer.LmuKind;
import io.tidecast.zoo.train.GraphKind;
import io.tidecast.zoo.train.GraphModel;
import io.tidecast.zoo.train.TrainableGraph;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The spiking LMUFormer as a trainable kind: the LMUFormer's options with their defaults (see
 * {@link LmuKind}), and the neurons' {@code tau} 2, {@code threshold} 1, {@code surrogate-alpha} 4
 * and {@code truncation} 8 (steps the gradient goes back through each membrane). Trained for one
 * epoch from {@code lr} 1e-3 in batches of 128 (the measured setting; a training step costs
 * seconds, see {@code docs/benchmarks.md}).
 */
public final class SpikingKind implements GraphKind {

  public static final String KIND = "spiking-lmuformer";
  static final String SEED = "seed";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String description() {
    return "spiking LMUFormer: leaky integrate-and-fire neurons in the LMUFormer's patch"
        + " embedding, memory cell and channel mixer";
  }

  @Override
  public Map<String, String> options() {
    Map<String, String> o = new LinkedHashMap<>(new LmuKind().options());
    o.put("tau", "2");
    o.put("threshold", "1");
    o.put("surrogate-alpha", "4");
    o.put("truncation", "8");
    return o;
  }

  @Override
  public Map<String, String> schedule() {
    return Map.of("epochs", "1", "lr", "1e-3", "batch-size", "128");
  }

  @Override
  public GraphModel build(ModelSettings s, TimeSeries train, long seed) {
    SpikingConfig config = new SpikingConfig(LmuKind.config(s, train), s.doubleOption("tau", 0),
        s.doubleOption("threshold", 0), s.doubleOption("surrogate-alpha", 0),
        s.intOption("truncation", 0));
    return model(SpikingGraph.build(config, DataType.FLOAT, seed));
  }

  /** The trainable model around a graph. */
  public static GraphModel model(SpikingGraph graph) {
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
        return SpikingKind.forecaster(id, spec, scaler, graph);
      }
    };
  }

  /** The serving form of a trained graph: the same weights without dropout. */
  public static SpikingForecaster forecaster(ModelId id, ForecasterSpec spec,
      StandardScaler scaler, SpikingGraph trained) {
    SpikingGraph serving = SpikingGraph.build(trained.config().forInference(), DataType.FLOAT,
        trained.seed());
    serving.load(trained.weights());
    return new SpikingForecaster(id, spec, scaler, serving);
  }
}

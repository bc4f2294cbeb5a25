package io.tidecast.zoo.lmuformer;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.zoo.checkpoint.Checkpoint;
import io.tidecast.zoo.checkpoint.CheckpointException;
import io.tidecast.zoo.checkpoint.Checkpoints;
import io.tidecast.zoo.checkpoint.Manifest;
import io.tidecast.zoo.checkpoint.Restorer;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * LMUFormer checkpoints: the manifest's config is the {@link LmuConfig} plus the model seed, the
 * weights the graph's parameters and batch-norm running statistics.
 */
public final class LmuCheckpoint implements Restorer {

  @Override
  public String kind() {
    return LmuKind.KIND;
  }

  /** Writes a trained model. */
  public static Manifest save(java.nio.file.Path directory, LmuForecaster model,
      Manifest.DataFingerprint data, Map<String, Object> training, Map<String, Double> metrics) {
    return Checkpoints.save(directory, LmuKind.KIND, LmuKind.model(model.graph()).config(), model,
        model.graph().weights(), data, training, metrics);
  }

  @Override
  public LmuForecaster restore(Checkpoint checkpoint) {
    Manifest m = checkpoint.manifest();
    Map<String, Object> fields = new TreeMap<>(m.config());
    Object seed = fields.remove(LmuKind.SEED);
    if (!(seed instanceof Number)) {
      throw new CheckpointException(checkpoint.directory() + ": the config has no model seed");
    }
    LmuConfig config = Checkpoints.fromMap(fields, LmuConfig.class);
    try {
      LmuGraph graph = LmuGraph.build(config.forInference(), DataType.FLOAT,
          ((Number) seed).longValue());
      graph.load(checkpoint.weights());
      ForecasterSpec spec = new ForecasterSpec(config.inputLength(), config.horizon(),
          m.inputChannels(), m.outputChannels(), Frequency.parse(m.frequency()));
      return new LmuForecaster(new ModelId(m.name(), m.version()), spec,
          new StandardScaler(m.scaler().mean(), m.scaler().std()), graph);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("checkpoint " + checkpoint.directory() + " does not hold a"
          + " usable LMUFormer: " + e.getMessage(), e);
    }
  }
}

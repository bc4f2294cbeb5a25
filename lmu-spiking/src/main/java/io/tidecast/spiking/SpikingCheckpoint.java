package io.tidecast.spiking;

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
 * Spiking LMUFormer checkpoints: the manifest's config is the {@link SpikingConfig} plus the model
 * seed, the weights the graph's parameters and batch-norm running statistics.
 */
public final class SpikingCheckpoint implements Restorer {

  @Override
  public String kind() {
    return SpikingKind.KIND;
  }

  @Override
  public SpikingForecaster restore(Checkpoint checkpoint) {
    Manifest m = checkpoint.manifest();
    Map<String, Object> fields = new TreeMap<>(m.config());
    Object seed = fields.remove(SpikingKind.SEED);
    if (!(seed instanceof Number)) {
      throw new CheckpointException(checkpoint.directory() + ": the config has no model seed");
    }
    SpikingConfig config = Checkpoints.fromMap(fields, SpikingConfig.class);
    try {
      SpikingGraph graph = SpikingGraph.build(config.forInference(), DataType.FLOAT,
          ((Number) seed).longValue());
      graph.load(checkpoint.weights());
      ForecasterSpec spec = new ForecasterSpec(config.lmu().inputLength(), config.lmu().horizon(),
          m.inputChannels(), m.outputChannels(), Frequency.parse(m.frequency()));
      return new SpikingForecaster(new ModelId(m.name(), m.version()), spec,
          new StandardScaler(m.scaler().mean(), m.scaler().std()), graph);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("checkpoint " + checkpoint.directory() + " does not hold a"
          + " usable spiking LMUFormer: " + e.getMessage(), e);
    }
  }
}

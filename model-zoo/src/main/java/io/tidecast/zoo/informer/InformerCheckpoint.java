package io.tidecast.zoo.informer;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.zoo.checkpoint.Checkpoint;
import io.tidecast.zoo.checkpoint.CheckpointException;
import io.tidecast.zoo.checkpoint.Checkpoints;
import io.tidecast.zoo.checkpoint.Manifest;
import io.tidecast.zoo.checkpoint.Restorer;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Informer checkpoints: the manifest's config is the {@link InformerConfig} plus the model seed
 * (from which the fixed ProbSparse samples derive), the weights are the graph's parameters and
 * batch-norm running statistics. Registered as the {@link Restorer} of kind {@value #KIND}.
 */
public final class InformerCheckpoint implements Restorer {

  public static final String KIND = "informer";
  static final String SEED = "seed";

  @Override
  public String kind() {
    return KIND;
  }

  /**
   * Writes {@code model} to {@code directory}.
   *
   * @param data the training rows' fingerprint
   * @param training how it was trained
   * @param metrics evaluation figures
   */
  public static Manifest save(Path directory, InformerForecaster model,
      Manifest.DataFingerprint data, Map<String, Object> training, Map<String, Double> metrics) {
    InformerGraph graph = model.graph();
    return Checkpoints.save(directory, KIND, InformerKind.model(graph).config(), model,
        graph.weights(), data, training, metrics);
  }

  @Override
  public InformerForecaster restore(Checkpoint checkpoint) {
    Manifest m = checkpoint.manifest();
    Object seed = m.config().get(SEED);
    if (!(seed instanceof Number)) {
      throw new CheckpointException(checkpoint.directory() + ": the config has no model seed");
    }
    Map<String, Object> fields = new TreeMap<>(m.config());
    // fields added after format 1's first checkpoints, with the value those checkpoints imply
    fields.putIfAbsent("stack", 1);
    fields.putIfAbsent("embed", CalendarEmbedding.TIME_F.code());
    InformerConfig config = Checkpoints.fromMap(fields, InformerConfig.class);
    try {
      InformerGraph graph = InformerGraph.build(config.forInference(), DataType.FLOAT,
          ((Number) seed).longValue());
      graph.load(checkpoint.weights());
      ForecasterSpec spec = new ForecasterSpec(config.inputLength(), config.horizon(),
          m.inputChannels(), m.outputChannels(), Frequency.parse(m.frequency()));
      return new InformerForecaster(new ModelId(m.name(), m.version()), spec,
          new StandardScaler(m.scaler().mean(), m.scaler().std()), graph);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException("checkpoint " + checkpoint.directory() + " does not hold a"
          + " usable Informer: " + e.getMessage(), e);
    }
  }
}

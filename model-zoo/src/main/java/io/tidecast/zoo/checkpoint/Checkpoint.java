package io.tidecast.zoo.checkpoint;

import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A verified checkpoint: its manifest and its weights, by name. */
public record Checkpoint(Path directory, Manifest manifest, Map<String, INDArray> weights) {

  public Checkpoint {
    weights = Map.copyOf(weights);
  }
}

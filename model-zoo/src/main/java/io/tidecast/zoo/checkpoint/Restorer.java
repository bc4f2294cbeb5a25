package io.tidecast.zoo.checkpoint;

import io.tidecast.forecaster.Forecaster;

/**
 * Rebuilds the forecaster of one model kind from a verified checkpoint. Registered in
 * {@code META-INF/services/io.tidecast.zoo.checkpoint.Restorer}, so modules above the zoo (the
 * spiking model) add their kinds without the zoo naming them.
 */
public interface Restorer {

  /** The model kind it restores, as written in manifests. */
  String kind();

  /**
   * @throws CheckpointException if the checkpoint's config or weights do not fit this kind
   */
  Forecaster restore(Checkpoint checkpoint);
}

package io.tidecast.spiking;

import io.tidecast.zoo.train.GraphProvider;

/** Registers {@code spiking-lmuformer} (see {@link SpikingKind} for its options). */
public final class SpikingProvider extends GraphProvider {

  public SpikingProvider() {
    super(new SpikingKind());
  }
}

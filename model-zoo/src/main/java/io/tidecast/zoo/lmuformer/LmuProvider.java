package io.tidecast.zoo.lmuformer;

import io.tidecast.zoo.train.GraphProvider;

/** Registers {@code lmuformer} (see {@link LmuKind} for its options). */
public final class LmuProvider extends GraphProvider {

  public LmuProvider() {
    super(new LmuKind());
  }
}

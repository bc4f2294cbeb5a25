package io.tidecast.spiking;

import io.tidecast.zoo.lmuformer.LmuConfig;

/**
 * The shape of a spiking LMUFormer: the LMUFormer's ({@code dropout} on the blocks' branches,
 * {@code linearHead} and {@code difference} as there) and its neurons.
 *
 * @param lmu the network's sizes
 * @param tau the neurons' membrane time constant
 * @param threshold their firing threshold
 * @param alpha the steepness of the surrogate gradient
 * @param truncation steps of the membrane recurrence the gradient goes back through
 *     ({@link Lif#spikes})
 */
public record SpikingConfig(LmuConfig lmu, double tau, double threshold, double alpha,
    int truncation) {

  public SpikingConfig {
    if (lmu == null) {
      throw new IllegalArgumentException("a spiking LMUFormer needs the LMUFormer's sizes");
    }
    if (truncation < 1) {
      throw new IllegalArgumentException("truncation must be at least 1 step, got " + truncation);
    }
    new Lif(tau, threshold, alpha); // checks the neuron
  }

  public Lif lif() {
    return new Lif(tau, threshold, alpha);
  }

  /** The same model without dropout. */
  public SpikingConfig forInference() {
    return new SpikingConfig(lmu.forInference(), tau, threshold, alpha, truncation);
  }

  @Override
  public String toString() {
    return "spiking " + lmu + ", LIF tau " + tau + " threshold " + threshold + ", surrogate alpha "
        + alpha + ", gradient through " + truncation + " steps";
  }
}

package io.tidecast.spiking;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * Leaky integrate-and-fire neurons along the time axis: {@code v_t = v_{t-1} + (x_t - v_{t-1}) / tau},
 * a spike {@code s_t = [v_t >= threshold]} (a membrane exactly at the threshold fires), and a hard
 * reset of {@code v} to 0 after a spike. For training, the spike's gradient is the derivative of
 * {@code sigmoid(alpha (v - threshold))} (a surrogate: the step itself has none), written
 * straight-through as {@code sigmoid(alpha z) + stopGradient(step(z) - sigmoid(alpha z))}; the reset
 * passes no gradient through the spike that causes it.
 *
 * @param tau the membrane time constant (2 in the reference)
 * @param threshold the firing threshold (1.0)
 * @param alpha the surrogate's steepness (4)
 */
public record Lif(double tau, double threshold, double alpha) {

  /** The reference neuron: tau 2, threshold 1, surrogate steepness 4. */
  public static final Lif REFERENCE = new Lif(2, 1, 4);

  public Lif {
    if (!(tau >= 1) || !(alpha > 0)) {
      throw new IllegalArgumentException("tau must be >= 1 and alpha > 0, got " + tau + ", " + alpha);
    }
  }

  /** A neuron's trajectory: the membrane before each reset, and the spikes. */
  public record Trace(double[] membrane, double[] spikes) {}

  /** One neuron over a sequence, from a membrane at rest. */
  public Trace run(double[] input) {
    double[] membrane = new double[input.length];
    double[] spikes = new double[input.length];
    double v = 0;
    for (int t = 0; t < input.length; t++) {
      v = integrate(v, input[t]);
      membrane[t] = v;
      spikes[t] = fires(v) ? 1 : 0;
      if (fires(v)) {
        v = 0;
      }
    }
    return new Trace(membrane, spikes);
  }

  /** The surrogate derivative of a spike with respect to its membrane. */
  public double surrogate(double membrane) {
    double s = 1 / (1 + Math.exp(-alpha * (membrane - threshold)));
    return alpha * s * (1 - s);
  }

  /** {@code 1 - 1 / tau}: the share of the membrane kept from one step to the next. */
  public double decay() {
    return 1 - 1 / tau;
  }

  /**
   * One step of a neuron: the membrane after input {@code x}, from the membrane {@code v} left by
   * the step before (0 after a spike). Written as the graph computes it,
   * {@code v decay + x / tau}, so that a stepper and the graph agree to the last bit.
   */
  public double integrate(double v, double x) {
    return v * decay() + x / tau;
  }

  /** Whether a membrane fires. */
  public boolean fires(double v) {
    return v >= threshold;
  }

  /**
   * The neurons of {@code [batch, time, channels]} in a SameDiff graph: spikes of the same shape,
   * with the surrogate gradient.
   *
   * <p>The forward pass is exact: the membrane recurrence {@code v_t = r_{t-1} decay + x_t / tau}
   * (where {@code r = v} below the threshold and 0 after a spike) is unrolled over {@code time} in
   * five ops a step, none of them differentiated. The gradient reaches the input through a
   * <em>truncated</em> form of the same recurrence: the membrane as the sum of the last
   * {@code truncation} inputs, each times {@code 1 / tau} and the product of the factors
   * {@code r_s / v_s} in between, constants taken from the forward pass (so a reset still passes
   * nothing). Each step back scales an input's share by {@code decay} (one half for tau 2), so
   * eight steps leave out less than 0.4% of it, and the backward pass costs a few ops over the
   * whole sequence instead of several per step.
   *
   * @param initial the membrane left by the step before the first ({@code r}), {@code [batch,
   *     channels]}; null for a neuron at rest
   * @param truncation steps of the gradient's recurrence, at least 1
   * @param last receives, when not null, {@code r} after the last step (the state to carry on)
   */
  public SDVariable spikes(SameDiff sd, SDVariable x, int time, SDVariable initial,
      int truncation, SDVariable[] last) {
    if (truncation < 1) {
      throw new IllegalArgumentException("the gradient needs at least one step, got " + truncation);
    }
    SDVariable scaled = x.div(tau);
    SDVariable[] in = sd.unstack(stop(sd, scaled), 1, time); // each [batch, channels]
    SDVariable[] v = new SDVariable[time];
    SDVariable[] kept = new SDVariable[time];
    SDVariable carried = initial == null ? null : stop(sd, initial).mul(decay());
    for (int t = 0; t < time; t++) {
      v[t] = carried == null ? in[t] : carried.add(in[t]);
      kept[t] = sd.lt(v[t], threshold).castTo(x.dataType());
      carried = v[t].mul(kept[t]).mul(decay());
    }
    if (last != null) {
      last[0] = v[time - 1].mul(kept[time - 1]);
    }
    SDVariable exact = sd.stack(1, v);
    SDVariable factor = stop(sd, sd.stack(1, kept).mul(decay())); // r_t decay / v_t
    SDVariable linear = scaled;
    SDVariable coefficient = null;
    for (int j = 1; j < Math.min(truncation, time); j++) {
      SDVariable shiftedFactor = shift(sd, factor, j, time);
      coefficient = coefficient == null ? shiftedFactor : coefficient.mul(shiftedFactor);
      linear = linear.add(shift(sd, scaled, j, time).mul(coefficient));
    }
    SDVariable membrane = stop(sd, exact).add(linear.sub(stop(sd, linear)));
    SDVariable z = membrane.sub(threshold);
    SDVariable smooth = sd.nn().sigmoid(z.mul(alpha));
    SDVariable fired = sd.gte(z, 0.0).castTo(x.dataType());
    return smooth.add(stop(sd, fired.sub(smooth)));
  }

  /** Neurons at rest, with the gradient over all {@code time} steps. */
  public SDVariable spikes(SameDiff sd, SDVariable x, int time) {
    return spikes(sd, x, time, null, time, null);
  }

  /** {@code [batch, time, channels]} moved {@code steps} later, zeros in front. */
  private static SDVariable shift(SameDiff sd, SDVariable x, int steps, int time) {
    SDVariable head = x.get(SDIndex.all(), SDIndex.interval(0, time - steps), SDIndex.all());
    SDVariable zeros = x.get(SDIndex.all(), SDIndex.interval(0, steps), SDIndex.all()).mul(0);
    return sd.concat(1, zeros, head);
  }

  private static SDVariable stop(SameDiff sd, SDVariable x) {
    return new StopGradient(sd, x).outputVariable();
  }
}

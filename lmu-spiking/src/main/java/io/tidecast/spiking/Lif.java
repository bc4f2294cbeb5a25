package io.tidecast.spiking;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
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
      v = v + (input[t] - v) / tau;
      membrane[t] = v;
      spikes[t] = v >= threshold ? 1 : 0;
      if (spikes[t] == 1) {
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

  /**
   * The neurons of {@code [batch, time, channels]} in a SameDiff graph, unrolled over
   * {@code time}: spikes of the same shape, with the surrogate gradient.
   */
  public SDVariable spikes(SameDiff sd, SDVariable x, int time, DataType type) {
    SDVariable[] steps = sd.unstack(x, 1, time); // each [batch, channels]
    SDVariable[] out = new SDVariable[time];
    SDVariable v = steps[0].mul(0);
    for (int t = 0; t < time; t++) {
      v = v.add(steps[t].sub(v).div(tau));
      SDVariable z = v.sub(threshold);
      SDVariable smooth = sd.nn().sigmoid(z.mul(alpha));
      SDVariable fired = sd.gte(z, 0.0).castTo(type);
      SDVariable spike = smooth.add(stop(sd, fired.sub(smooth)));
      out[t] = spike;
      v = v.mul(stop(sd, fired.rsub(1.0)));
    }
    return sd.stack(1, out);
  }

  private static SDVariable stop(SameDiff sd, SDVariable x) {
    return new StopGradient(sd, x).outputVariable();
  }
}

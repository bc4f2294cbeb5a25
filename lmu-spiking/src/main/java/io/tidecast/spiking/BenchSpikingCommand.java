package io.tidecast.spiking;

import io.tidecast.zoo.cli.Timing;
import io.tidecast.zoo.cli.ZooSubcommand;
import io.tidecast.zoo.lmuformer.LmuConfig;
import io.tidecast.zoo.train.Adam;
import io.tidecast.zoo.train.Sessions;
import io.tidecast.zoo.train.TrainableGraph;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code zoo bench-spiking}: what a training step of spiking neurons costs in the forms one could
 * write them. One layer (a linear map, then neurons over {@code --time} steps): the textbook
 * unrolled form (every step's spike and surrogate inside the loop, the gradient through every
 * step), the exact forward with the gradient through the whole recurrence, and the exact forward
 * with the gradient truncated to {@code --truncation} steps (what the model uses), each with its
 * op count, forward and training-step medians, and how close its weight gradient is to the full
 * one. Then a whole spiking LMUFormer's training step and the peak resident size.
 */
@Command(name = "bench-spiking", mixinStandardHelpOptions = true,
    description = "Training cost of spiking neurons: unrolled, exact with full gradient, exact with"
        + " truncated gradient; and the whole model's step.")
public final class BenchSpikingCommand implements ZooSubcommand {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--batch", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(names = "--time", defaultValue = "96", description = "Default: ${DEFAULT-VALUE}.")
  int time;

  @Option(names = "--width", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
  int width;

  @Option(names = "--truncation", defaultValue = "8", description = "Default: ${DEFAULT-VALUE}.")
  int truncation;

  @Option(names = "--repeats", defaultValue = "7", description = "Default: ${DEFAULT-VALUE}.")
  int repeats;

  @Option(names = "--model-repeats", defaultValue = "3",
      description = "Timed training steps of the whole model (0 skips it). Default: ${DEFAULT-VALUE}.")
  int modelRepeats;

  @Override
  public String name() {
    return "bench-spiking";
  }

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    Lif lif = Lif.REFERENCE;
    Nd4j.getRandom().setSeed(7);
    INDArray input = Nd4j.rand(DataType.FLOAT, (long) batch * time, width).subi(0.5).muli(4);
    INDArray weight = Nd4j.rand(DataType.FLOAT, width, width).subi(0.5).muli(0.6);
    out.printf(Locale.ROOT, "one layer: batch %d, %d steps, %d neurons, %s%n", batch, time, width,
        lif);
    out.printf(Locale.ROOT, "%-34s %6s %10s %10s %12s%n", "form", "ops", "forward ms", "step ms",
        "gradient cos");
    INDArray full = null;
    String[] names = {"unrolled, gradient through all", "exact, gradient through all",
        "exact, gradient " + truncation + " steps"};
    double[] stepMs = new double[names.length];
    for (int form = 0; form < names.length; form++) {
      SameDiff sd = SameDiff.create();
      SDVariable w = sd.var("w", weight.dup());
      SDVariable x = sd.placeHolder("x", DataType.FLOAT, (long) batch * time, width);
      SDVariable pre = sd.reshape(sd.mmul(x, w), batch, time, width);
      SDVariable spikes = switch (form) {
        case 0 -> unrolled(sd, lif, pre, time);
        case 1 -> lif.spikes(sd, pre, time, null, time, null);
        default -> lif.spikes(sd, pre, time, null, truncation, null);
      };
      sd.setLossVariables(spikes.mean("loss"));
      Adam.createGradientsQuietly(sd);
      Map<String, INDArray> feed = Map.of("x", input);
      INDArray[] gradient = new INDArray[1];
      double forward = Timing.medianMillis(() -> Sessions.output(sd, feed, "loss"), 1, repeats, true);
      stepMs[form] = Timing.medianMillis(
          () -> gradient[0] = sd.calculateGradients(feed, List.of("w")).get("w"), 1, repeats,
          true);
      if (full == null) {
        full = gradient[0];
      }
      double cosine = gradient[0].mul(full).sumNumber().doubleValue()
          / (gradient[0].norm2Number().doubleValue() * full.norm2Number().doubleValue());
      out.printf(Locale.ROOT, "%-34s %6d %10.1f %10.1f %12.6f%n", names[form],
          sd.getOps().size(), forward, stepMs[form], cosine);
      out.flush();
    }
    out.printf(Locale.ROOT, "step ratio to unrolled: exact/all %.2f, exact/%d %.2f%n",
        stepMs[1] / stepMs[0], truncation, stepMs[2] / stepMs[0]);
    out.printf(Locale.ROOT, "peak resident size so far %.2f GB%n",
        Timing.statusBytes("VmHWM") / 1e9);
    if (modelRepeats > 0) {
      double truncated = modelStep(truncation);
      out.printf(Locale.ROOT, "whole model (defaults, input %d, batch %d): step %.0f ms with the"
          + " gradient through %d steps; peak resident size %.2f GB%n", time, batch, truncated,
          truncation, Timing.statusBytes("VmHWM") / 1e9);
    }
    out.flush();
  }

  /** Median ms of one training step (loss and every gradient) of the default spiking model. */
  private double modelStep(int steps) {
    LmuConfig lmu = new LmuConfig(time, 96, 7, List.of(0, 1, 2, 3, 4, 5, 6), 128, 4, 64, 1, 2, 2,
        0.1, true, true);
    SpikingGraph graph = SpikingGraph.build(new SpikingConfig(lmu, 2, 1, 4, steps),
        DataType.FLOAT, 1);
    SameDiff sd = graph.sameDiff();
    Adam.createGradientsQuietly(sd);
    Map<String, INDArray> feed = new HashMap<>();
    feed.put(SpikingGraph.VALUES, Nd4j.randn(DataType.FLOAT, batch, time, 7));
    feed.put(TrainableGraph.TARGET, Nd4j.randn(DataType.FLOAT, batch, 96, 7));
    feed.put(TrainableGraph.TRAINING, Nd4j.ones(DataType.FLOAT, 1));
    List<String> parameters = new ArrayList<>();
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() == VariableType.VARIABLE) {
        parameters.add(v.name());
      }
    }
    return Timing.medianMillis(() -> sd.calculateGradients(feed, parameters), 1, modelRepeats,
        true);
  }

  /**
   * The textbook form, for comparison: each step's membrane, spike and surrogate inside the loop,
   * the reset through a stopped spike, the gradient through every step.
   */
  private static SDVariable unrolled(SameDiff sd, Lif lif, SDVariable x, int time) {
    SDVariable[] steps = sd.unstack(x, 1, time);
    SDVariable[] out = new SDVariable[time];
    SDVariable v = steps[0].mul(0);
    for (int t = 0; t < time; t++) {
      v = v.add(steps[t].sub(v).div(lif.tau()));
      SDVariable z = v.sub(lif.threshold());
      SDVariable smooth = sd.nn().sigmoid(z.mul(lif.alpha()));
      SDVariable fired = sd.gte(z, 0.0).castTo(x.dataType());
      out[t] = smooth.add(new StopGradient(sd, fired.sub(smooth)).outputVariable());
      v = v.mul(new StopGradient(sd, fired.rsub(1.0)).outputVariable());
    }
    return sd.stack(1, out);
  }
}

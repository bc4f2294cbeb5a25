package io.tidecast.spiking;

import io.tidecast.zoo.lmuformer.LmuConfig;
import io.tidecast.zoo.train.Layers;
import io.tidecast.zoo.train.Sessions;
import io.tidecast.zoo.train.TrainableGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a spiking LMUFormer does per forecast (one window through the parallel form), measured on
 * windows: each neuron layer's spike rate, and the operations of its weight layers. A layer fed
 * spikes does one accumulate (AC, a synaptic operation) per spike and target; a layer fed real
 * values one multiply-accumulate (MAC) per weight and step. Compared with the MACs of the
 * non-spiking LMUFormer of the same sizes (whose last block runs at the last step only), and with
 * the common energy proxy of 4.6 pJ per 32-bit MAC and 0.9 pJ per AC (45 nm figures). Batch norm,
 * biases and the neurons' own updates are left out of both counts, as is usual.
 *
 * @param rates spike rate (spikes per neuron and step) by layer, in network order
 * @param macs multiply-accumulates per forecast, by weight layer
 * @param acs accumulates (synaptic operations) per forecast, by weight layer
 * @param denseMacs MACs of the non-spiking LMUFormer per forecast
 * @param windows windows measured
 */
public record SpikingActivity(Map<String, Double> rates, Map<String, Double> macs,
    Map<String, Double> acs, double denseMacs, int windows) {

  public static final double MAC_PICOJOULES = 4.6;
  public static final double AC_PICOJOULES = 0.9;

  public double totalMacs() {
    return macs.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  public double totalAcs() {
    return acs.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** Energy proxy per forecast of the spiking model, in nanojoules. */
  public double nanojoules() {
    return (MAC_PICOJOULES * totalMacs() + AC_PICOJOULES * totalAcs()) / 1000;
  }

  public double denseNanojoules() {
    return MAC_PICOJOULES * denseMacs / 1000;
  }

  /**
   * Runs {@code graph} (window shape, inference) over {@code windows} (scaled,
   * {@code [window][step][channel]}), {@code batch} at a time.
   */
  public static SpikingActivity measure(SpikingGraph graph, double[][][] windows, int batch) {
    LmuConfig c = graph.config().lmu();
    int time = c.inputLength();
    List<String> layers = graph.neuronOrder();
    // spikes per layer and step, summed over windows and neurons
    Map<String, double[]> perStep = new LinkedHashMap<>();
    layers.forEach(l -> perStep.put(l, new double[time]));
    List<String> outputs = new ArrayList<>();
    layers.forEach(l -> outputs.add(SpikingGraph.SPIKES + l));
    for (int from = 0; from < windows.length; from += batch) {
      int to = Math.min(windows.length, from + batch);
      double[][][] part = java.util.Arrays.copyOfRange(windows, from, to);
      Map<String, INDArray> out = Sessions.output(graph.sameDiff(), Layers.dropoutOff(graph.sameDiff(),
          Map.of(SpikingGraph.VALUES, Nd4j.createFromArray(part).castTo(graph.sameDiff()
              .getVariable(SpikingGraph.VALUES).dataType()), TrainableGraph.TRAINING,
          Nd4j.zeros(graph.sameDiff().getVariable(SpikingGraph.VALUES).dataType(), 1))), outputs);
      for (String l : layers) {
        // rounded: the straight-through spikes carry rounding around 0 and 1
        INDArray fired = out.get(SpikingGraph.SPIKES + l).castTo(DataType.DOUBLE).gt(0.5)
            .castTo(DataType.DOUBLE).sum(0, 2); // [time]
        double[] sums = perStep.get(l);
        for (int t = 0; t < time; t++) {
          sums[t] += fired.getDouble(t);
        }
      }
      // a batch's arrays are native memory freed only when their handles are collected (as in
      // training, see Trainer): collect per batch so that a long report stays flat
      System.gc();
    }
    int n = windows.length;
    Map<String, Integer> widths = graph.neurons();
    Map<String, Double> rates = new LinkedHashMap<>();
    for (String l : layers) {
      double total = 0;
      for (double s : perStep.get(l)) {
        total += s;
      }
      rates.put(l, total / ((double) n * time * widths.get(l)));
    }
    return count(c, perStep, n, rates);
  }

  private static SpikingActivity count(LmuConfig c, Map<String, double[]> perStep, int n,
      Map<String, Double> rates) {
    int time = c.inputLength();
    int d = c.dModel();
    int channels = c.inputChannels();
    int memory = c.memoryChannels();
    int window = c.memoryWindow();
    int outputs = c.outputChannels();
    Map<String, Double> macs = new LinkedHashMap<>();
    Map<String, Double> acs = new LinkedHashMap<>();
    macs.put("patch/conv0", (double) time * 3 * channels * d);
    for (int j = 1; j < c.convLayers(); j++) {
      acs.put("patch/conv" + j, spread(perStep.get("patch/conv" + (j - 1)), 3, n) * d);
    }
    acs.put("patch/position",
        spread(perStep.get("patch/conv" + (c.convLayers() - 1)), 3, n) * d);
    for (int b = 0; b < c.layers(); b++) {
      String name = "block" + b;
      macs.put(name + "/u", (double) time * d * memory);
      acs.put(name + "/memory", spread(perStep.get(name + "/u"), window, n) * c.order());
      acs.put(name + "/h (memory spikes)", spread(perStep.get(name + "/memory"), 1, n) * d);
      macs.put(name + "/h (representation)", (double) time * d * d);
      macs.put(name + "/mix1", (double) time * d * c.mlpRatio() * d);
      acs.put(name + "/mix2", spread(perStep.get(name + "/mix1"), 1, n) * d);
    }
    macs.put("head", (double) d * c.horizon() * outputs);
    double linear = c.linearHead()
        ? (double) channels * time * c.order() + (double) channels * c.order() * c.horizon() : 0;
    if (linear > 0) {
      macs.put("linear head", linear);
    }
    return new SpikingActivity(rates, macs, acs, denseMacs(c) + linear, n);
  }

  /**
   * Targets reached per window by the spikes counted at each step when each feeds the next
   * {@code reach} steps (a kernel's taps, a memory window) that lie inside the window.
   */
  private static double spread(double[] spikesPerStep, int reach, int windows) {
    int time = spikesPerStep.length;
    double total = 0;
    for (int t = 0; t < time; t++) {
      total += spikesPerStep[t] * Math.min(reach, time - t);
    }
    return total / windows;
  }

  /** The non-spiking LMUFormer's MACs per forecast, without its linear head. */
  static double denseMacs(LmuConfig c) {
    int time = c.inputLength();
    int d = c.dModel();
    int memory = c.memoryChannels();
    int width = memory * c.order();
    double full = 0;
    full += (double) time * 3 * c.inputChannels() * d;
    full += (double) time * 3 * d * d * (c.convLayers() - 1);
    full += (double) time * 3 * d * d; // position
    double block = d * memory + c.memoryWindow() * (double) width + (width + d) * (double) d
        + 2.0 * d * c.mlpRatio() * d; // per step: u, memory over the window, h, mixer
    full += (c.layers() - 1) * (double) time * block;
    // the last block: u at every step, the rest at the last step only
    full += (double) time * d * memory + (double) time * width + (width + d) * (double) d
        + 2.0 * d * c.mlpRatio() * d;
    full += (double) d * c.horizon() * c.outputChannels();
    return full;
  }

  /** The report as lines of text. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "spike rates over %d windows (spikes per neuron and step):",
        windows));
    rates.forEach((layer, rate) -> lines.add(String.format(Locale.ROOT, "  %-22s %.4f", layer,
        rate)));
    lines.add("operations per forecast:");
    Map<String, String> all = new LinkedHashMap<>();
    macs.forEach((k, v) -> all.put(k, String.format(Locale.ROOT, "%,14.0f MAC", v)));
    acs.forEach((k, v) -> all.put(k, String.format(Locale.ROOT, "%,14.0f AC", v)));
    all.forEach((k, v) -> lines.add(String.format(Locale.ROOT, "  %-22s %s", k, v)));
    lines.add(String.format(Locale.ROOT,
        "  total: %,.0f MAC + %,.0f AC (synaptic operations); non-spiking LMUFormer %,.0f MAC",
        totalMacs(), totalAcs(), denseMacs));
    lines.add(String.format(Locale.ROOT,
        "  energy proxy (%.1f pJ/MAC, %.1f pJ/AC): %.1f nJ, non-spiking %.1f nJ (ratio %.2f)",
        MAC_PICOJOULES, AC_PICOJOULES, nanojoules(), denseNanojoules(),
        nanojoules() / denseNanojoules()));
    return lines;
  }

  /** Scaled windows of every full input and horizon in {@code values} ({@code [row][channel]}). */
  static double[][][] windows(double[][] scaled, int length, int horizon) {
    int count = scaled.length - length - horizon + 1;
    double[][][] w = new double[Math.max(0, count)][][];
    for (int i = 0; i < w.length; i++) {
      w[i] = java.util.Arrays.copyOfRange(scaled, i, i + length);
    }
    return w;
  }
}

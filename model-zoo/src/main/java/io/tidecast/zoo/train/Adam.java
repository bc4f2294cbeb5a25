package io.tidecast.zoo.train;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma and Ba) over every trainable variable of a SameDiff graph, applied in place:
 * {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)}. Its state is plain arrays, so
 * a checkpoint can carry it.
 */
public final class Adam {

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;
  /** The name SameDiff keeps its gradient graph under (its own constant is not public). */
  private static final String GRADIENT_GRAPH = "grad";

  private final SameDiff sd;
  private final List<String> parameters;
  private final Map<String, INDArray> first = new HashMap<>();
  private final Map<String, INDArray> second = new HashMap<>();
  /** Each parameter's gradient variable in the gradient graph. */
  private final Map<String, String> gradientNames = new LinkedHashMap<>();
  private double learningRate;
  private long steps;

  public Adam(SameDiff sd, double learningRate) {
    this.sd = sd;
    this.learningRate = learningRate;
    this.parameters = sd.variables().stream()
        .filter(v -> v.getVariableType() == VariableType.VARIABLE).map(SDVariable::name).toList();
    for (String p : parameters) {
      first.put(p, sd.getArrForVarName(p).ulike().assign(0));
      second.put(p, sd.getArrForVarName(p).ulike().assign(0));
    }
    gradientGraph(sd);
    for (String p : parameters) {
      SDVariable gradient = sd.getVariable(p).getGradient();
      if (gradient != null) {
        gradientNames.put(p, gradient.name());
      }
    }
  }

  /** {@code sd}'s gradient graph, the graph a training step runs; built first if need be. */
  public static SameDiff gradientGraph(SameDiff sd) {
    if (sd.getFunction(GRADIENT_GRAPH) == null) {
      createGradientsQuietly(sd);
    }
    return sd.getFunction(GRADIENT_GRAPH);
  }

  /**
   * Builds the gradient graph now; this ND4J version prints a line per differentiated op to
   * standard output while it does, which would bury a command's own output.
   */
  public static synchronized void createGradientsQuietly(SameDiff sd) {
    PrintStream out = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      sd.createGradFunction();
    } finally {
      System.setOut(out);
    }
  }

  public List<String> parameters() {
    return parameters;
  }

  public double learningRate() {
    return learningRate;
  }

  public void learningRate(double rate) {
    this.learningRate = rate;
  }

  public long steps() {
    return steps;
  }

  /**
   * One step: gradients of the graph's loss for {@code feed}, then the update of every parameter.
   * Returns the values of {@code outputs} (the loss among them, say) before the update.
   */
  public Map<String, INDArray> step(Map<String, INDArray> feed, List<String> outputs) {
    Pass result = pass(feed, outputs);
    update(result.gradients());
    return result.outputs();
  }

  /**
   * One step over a batch given in equal parts: the gradients of each part are averaged (the
   * gradient of the whole batch's mean loss, since the loss is a mean over equal parts), and only
   * one part's intermediate arrays are alive at a time. A part's gradients are added into the
   * step's own arrays and freed at once; {@code afterPart} runs after each part. Returns copies of
   * each part's {@code outputs}, in order.
   */
  public List<Map<String, INDArray>> step(List<Map<String, INDArray>> parts, List<String> outputs,
      Runnable afterPart) {
    return step(parts, outputs, afterPart, 1);
  }

  /**
   * As {@link #step(List, List, Runnable)}, with the parts run by {@code threads} threads side by
   * side: thread {@code t} takes the {@code t}-th contiguous share of the parts, one at a time,
   * and sums their gradients; the shares' sums are then added in thread order, so a given number
   * of threads always gives the same step (a different number adds in another order, which moves
   * the last bits). Each thread holds one part's intermediate arrays at a time.
   */
  public List<Map<String, INDArray>> step(List<Map<String, INDArray>> parts, List<String> outputs,
      Runnable afterPart, int threads) {
    int shares = Math.max(1, Math.min(threads, parts.size()));
    List<Callable<Share>> tasks = new ArrayList<>();
    for (int t = 0; t < shares; t++) {
      List<Map<String, INDArray>> mine = parts.subList(t * parts.size() / shares,
          (t + 1) * parts.size() / shares);
      tasks.add(() -> share(mine, outputs, afterPart));
    }
    List<Share> done = Parallel.each(tasks);
    Map<String, INDArray> sum = done.get(0).gradients();
    List<Map<String, INDArray>> results = new ArrayList<>(done.get(0).outputs());
    for (Share s : done.subList(1, done.size())) {
      s.gradients().forEach((p, g) -> sum.get(p).addi(g));
      results.addAll(s.outputs());
    }
    sum.values().forEach(g -> g.divi(parts.size()));
    update(sum);
    return results;
  }

  /** The summed gradients and each part's outputs of a run of parts. */
  private record Share(Map<String, INDArray> gradients, List<Map<String, INDArray>> outputs) {}

  private Share share(List<Map<String, INDArray>> parts, List<String> outputs,
      Runnable afterPart) {
    Map<String, INDArray> sum = new HashMap<>();
    List<Map<String, INDArray>> results = new ArrayList<>();
    for (Map<String, INDArray> feed : parts) {
      Pass result = pass(feed, outputs);
      for (String p : parameters) {
        INDArray g = result.gradients().get(p);
        INDArray total = sum.get(p);
        if (total == null) {
          sum.put(p, g.dup());
        } else {
          total.addi(g);
        }
        free(g);
      }
      Map<String, INDArray> kept = new HashMap<>();
      result.outputs().forEach((name, value) -> {
        kept.put(name, value.dup());
        free(value);
      });
      results.add(kept);
      afterPart.run();
    }
    return new Share(sum, results);
  }

  /**
   * Frees a pass's result array now rather than when the collector reaches it: a pass hands out
   * every gradient (the size of the model), which would otherwise pile up natively part after
   * part until the next collection.
   */
  private static void free(INDArray array) {
    if (array.closeable()) {
      array.close();
    }
  }

  /** What one forward and backward pass gives: the outputs asked for and every gradient. */
  record Pass(Map<String, INDArray> outputs, Map<String, INDArray> gradients) {}

  /**
   * Runs the gradient graph once. ND4J's {@code calculateGradientsAndOutputs} turns that graph's
   * array cache off, so every intermediate array of every pass is a fresh native allocation, which
   * this ND4J build fills with zeros as it allocates (a fifth of a training step's time at d_model
   * 128). Running the gradient graph directly keeps its cache on: an array no longer needed goes
   * back to the cache, and the next pass reuses it.
   */
  Pass pass(Map<String, INDArray> feed, List<String> outputs) {
    SameDiff gradients = sd.getFunction(GRADIENT_GRAPH);
    gradients.setEnableCache(true);
    List<String> names = new ArrayList<>(outputs);
    gradientNames.values().forEach(names::add);
    Map<String, INDArray> values = Sessions.output(gradients, feed, names);
    Map<String, INDArray> out = new HashMap<>();
    outputs.forEach(name -> out.put(name, values.get(name)));
    Map<String, INDArray> grads = new HashMap<>();
    gradientNames.forEach((parameter, name) -> grads.put(parameter, values.get(name)));
    return new Pass(out, grads);
  }

  private void update(Map<String, INDArray> gradients) {
    steps++;
    double correction1 = 1 - Math.pow(BETA1, steps);
    double correction2 = 1 - Math.pow(BETA2, steps);
    double stepSize = learningRate * Math.sqrt(correction2) / correction1;
    for (String p : parameters) {
      INDArray g = gradients.get(p);
      INDArray m = first.get(p).muli(BETA1).addi(g.mul(1 - BETA1));
      INDArray v = second.get(p).muli(BETA2).addi(g.mul(g).muli(1 - BETA2));
      // lr * mhat / (sqrt(vhat) + eps), with eps scaled into the corrected form
      INDArray denominator = Transforms.sqrt(v, true).addi(EPSILON * Math.sqrt(correction2));
      sd.getArrForVarName(p).subi(m.div(denominator).muli(stepSize));
    }
  }
}

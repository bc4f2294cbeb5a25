package io.tidecast.zoo.lmuformer;

import java.util.List;

/**
 * The shape of an LMUFormer.
 *
 * @param inputLength steps per window
 * @param horizon steps forecast, all at once from the last step's representation
 * @param inputChannels channels read
 * @param targets the input-channel index of each forecast channel
 * @param dModel width of the representation
 * @param memoryChannels memory channels {@code u} per LMU (each has {@code order} coefficients)
 * @param order Legendre coefficients per memory channel
 * @param layers LMU blocks (memory, hidden state, channel mixer)
 * @param convLayers causal kernel-3 convolutions in the patch embedding
 * @param mlpRatio the channel mixer's expansion
 * @param dropout on the blocks' branches in training
 * @param linearHead add a per-channel linear read-out of a Legendre memory of the raw window
 * @param difference feed the network each reading minus the one before (the linear head still
 *     reads the readings): free of the series' level, which moves between training and serving
 */
public record LmuConfig(int inputLength, int horizon, int inputChannels, List<Integer> targets,
    int dModel, int memoryChannels, int order, int layers, int convLayers, int mlpRatio,
    double dropout, boolean linearHead, boolean difference) {

  public LmuConfig {
    targets = List.copyOf(targets);
    if (inputLength < 2 || horizon < 1 || inputChannels < 1 || targets.isEmpty() || dModel < 1
        || memoryChannels < 1 || order < 1 || layers < 1 || convLayers < 1 || mlpRatio < 1
        || dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException("not a usable LMUFormer shape: " + describe(inputLength,
          horizon, dModel, memoryChannels, order, layers, convLayers));
    }
    for (int t : targets) {
      if (t < 0 || t >= inputChannels) {
        throw new IllegalArgumentException("target channel " + t + " is not one of the "
            + inputChannels + " input channels");
      }
    }
    if (window(inputLength, convLayers, layers, difference) < 2) {
      throw new IllegalArgumentException("an input of " + inputLength + " steps leaves no memory"
          + " window for " + layers + " blocks after " + convLayers + " convolutions");
    }
  }

  public int outputChannels() {
    return targets.size();
  }

  /**
   * Steps the network looks back before its memory: two per kernel-3 convolution, position
   * convolution included, and one for the difference.
   */
  public int convContext() {
    return context(convLayers, difference);
  }

  private static int context(int convLayers, boolean difference) {
    return 2 * (convLayers + 1) + (difference ? 1 : 0);
  }

  /**
   * The window (and {@code theta}) of every block's memory: the largest for which the last step's
   * representation reads only the window's own readings, never the convolutions' zero padding, so
   * that a model following a stream forecasts exactly what it forecasts from the last
   * {@code inputLength} readings alone.
   */
  public int memoryWindow() {
    return window(inputLength, convLayers, layers, difference);
  }

  private static int window(int inputLength, int convLayers, int layers, boolean difference) {
    return (inputLength - 1 - context(convLayers, difference)) / layers + 1;
  }

  /** The same model without dropout. */
  public LmuConfig forInference() {
    return new LmuConfig(inputLength, horizon, inputChannels, targets, dModel, memoryChannels,
        order, layers, convLayers, mlpRatio, 0, linearHead, difference);
  }

  @Override
  public String toString() {
    return describe(inputLength, horizon, dModel, memoryChannels, order, layers, convLayers)
        + ", window " + (inputLength > convContext() ? memoryWindow() : 0)
        + (linearHead ? ", linear head" : "") + (difference ? ", differenced input" : "");
  }

  private static String describe(int inputLength, int horizon, int dModel, int memoryChannels,
      int order, int layers, int convLayers) {
    return "LMUFormer input " + inputLength + ", horizon " + horizon + ", d_model " + dModel
        + ", memory " + memoryChannels + " x " + order + ", " + layers + " blocks, "
        + convLayers + " convolutions";
  }
}

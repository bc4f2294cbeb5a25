package io.tidecast.zoo.train;

import io.tidecast.zoo.data.Windows;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A SameDiff model that {@link Trainer} can train: it maps a batch of windows to the variable
 * {@link #FORECAST} and, with a target fed, to the mean squared error {@link #LOSS}. Batch-norm
 * layers named in {@link #batchNorms()} output {@code name/batchMean} and
 * {@code name/batchVariance} and keep their running averages in the constants
 * {@code name + RUNNING_MEAN} and {@code name + RUNNING_VARIANCE}.
 */
public interface TrainableGraph {

  String FORECAST = "forecast";
  String TARGET = "target";
  String LOSS = "loss";
  String TRAINING = "training";
  String RUNNING_MEAN = "/runningMean";
  String RUNNING_VARIANCE = "/runningVariance";

  SameDiff sameDiff();

  /** The placeholders for a batch, in training or in inference mode. */
  Map<String, INDArray> feed(Windows.Batch batch, boolean training);

  /**
   * The forecasts of batches in inference mode for the current weights: the graph's
   * {@link #FORECAST}, or an equal function a kind computes faster. Take a new one after the
   * weights change; the arrays it returns outlive the call.
   */
  default Function<Windows.Batch, INDArray> inference() {
    return batch -> Sessions.output(sameDiff(), feed(batch, false), FORECAST).get(FORECAST);
  }

  /** Placeholders drawn afresh for every training step (random samples), none by default. */
  default Map<String, INDArray> freshSamples(SplittableRandom random) {
    return Map.of();
  }

  /**
   * Sets what can be fit in closed form before gradient training starts (a linear read-out, by
   * least squares); nothing by default.
   *
   * @return whether anything was fit (then the untrained start is a candidate for the best epoch)
   */
  default boolean initialise(Windows train) {
    return false;
  }

  /** Names of the batch-norm layers, whose running statistics the trainer keeps. */
  List<String> batchNorms();

  /**
   * Values per channel that one window contributes to the statistics of batch norm {@code name}
   * (the steps it normalises), for the unbiased running variance.
   */
  int batchNormSteps(String name);

  /** Every array the trained model consists of: parameters and running statistics. */
  Map<String, INDArray> weights();

  /**
   * Replaces every weight with the given values.
   *
   * @throws IllegalArgumentException naming the first weight that is missing, unexpected, or of
   *     another shape
   */
  void load(Map<String, INDArray> values);
}

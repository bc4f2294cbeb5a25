package io.tidecast.zoo.baseline;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.zoo.WindowForecaster;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A linear autoregressive model fit by least squares, direct multi-horizon: each of the {@code
 * horizon} future values of a channel is a linear function of that channel's last {@code lags}
 * standardised values plus an intercept, {@code y = [x, 1] W}, with {@code W} of shape {@code [lags
 * + 1, horizon]}. One {@code W} is shared by every channel, or, with {@code individual}, one per
 * output channel.
 *
 * <p>Fitting solves the ridge normal equations {@code (X'X + lambda n I) W = X'Y} (no penalty on
 * the intercept) by Cholesky; {@code X'X} and {@code X'Y} are accumulated with ND4J matrix products
 * over blocks of training windows, so memory stays bounded for long series.
 */
final class LinearAutoregressive extends WindowForecaster {

  private static final int BLOCK_ROWS = 4096;

  private final int lags;
  /** One {@code [lags + 1, horizon]} weight matrix, or one per output channel. */
  private final double[][][] weights;

  private LinearAutoregressive(
      ModelId id, ForecasterSpec spec, StandardScaler scaler, int lags, double[][][] weights) {
    super(id, spec, scaler, targetIndices(spec));
    this.lags = lags;
    this.weights = weights;
  }

  /**
   * Fits on the standardised training rows {@code scaled[time][channel]}.
   *
   * @param ridge the penalty per training row (0 for ordinary least squares)
   */
  static LinearAutoregressive fit(ModelId id, ForecasterSpec spec, StandardScaler scaler,
      double[][] scaled, int lags, double ridge, boolean individual) {
    if (lags < 1 || lags > spec.inputLength()) {
      throw new IllegalArgumentException(
          "lags must be in [1, input length " + spec.inputLength() + "], got " + lags);
    }
    int windows = scaled.length - spec.inputLength() - spec.horizon() + 1;
    if (windows < lags + 1) {
      throw new IllegalArgumentException("linear AR with " + lags + " lags needs at least " + (lags + 1)
          + " training windows; the training rows give " + windows);
    }
    int[] targets = targetIndices(spec);
    double[][][] weights;
    if (individual) {
      weights = new double[targets.length][][];
      for (int c = 0; c < targets.length; c++) {
        weights[c] = solve(scaled, spec, lags, ridge, new int[] {targets[c]}, windows);
      }
    } else {
      weights = new double[][][] {solve(scaled, spec, lags, ridge, targets, windows)};
    }
    return new LinearAutoregressive(id, spec, scaler, lags, weights);
  }

  private static double[][] solve(double[][] scaled, ForecasterSpec spec, int lags, double ridge,
      int[] channels, int windows) {
    int features = lags + 1;
    int horizon = spec.horizon();
    int length = spec.inputLength();
    long rows = (long) windows * channels.length;
    double[] xtx = new double[features * features];
    double[] xty = new double[features * horizon];
    for (long first = 0; first < rows; first += BLOCK_ROWS) {
      int block = (int) Math.min(BLOCK_ROWS, rows - first);
      double[] x = new double[block * features];
      double[] y = new double[block * horizon];
      for (int r = 0; r < block; r++) {
        long row = first + r;
        int start = (int) (row / channels.length);
        int channel = channels[(int) (row % channels.length)];
        for (int k = 0; k < lags; k++) {
          x[r * features + k] = scaled[start + length - lags + k][channel];
        }
        x[r * features + lags] = 1;
        for (int h = 0; h < horizon; h++) {
          y[r * horizon + h] = scaled[start + length + h][channel];
        }
      }
      try (INDArray xs = Nd4j.create(x, new long[] {block, features}, DataType.DOUBLE);
          INDArray ys = Nd4j.create(y, new long[] {block, horizon}, DataType.DOUBLE);
          INDArray blockXtx = Nd4j.gemm(xs, xs, true, false);
          INDArray blockXty = Nd4j.gemm(xs, ys, true, false)) {
        addInto(xtx, blockXtx.data().asDouble());
        addInto(xty, blockXty.data().asDouble());
      }
    }
    double trace = 0;
    for (int i = 0; i < lags; i++) {
      trace += xtx[i * features + i];
    }
    // A vanishing jitter keeps Cholesky stable when lags are collinear; it does not move the fit.
    double penalty = ridge * rows + 1e-10 * trace / lags;
    for (int i = 0; i < lags; i++) {
      xtx[i * features + i] += penalty;
    }
    return Cholesky.solve(xtx, features, xty, horizon);
  }

  private static void addInto(double[] sum, double[] block) {
    for (int i = 0; i < sum.length; i++) {
      sum[i] += block[i];
    }
  }

  int lags() {
    return lags;
  }

  @Override
  protected double[][][] predictScaled(double[][][] inputs, List<SeriesWindow> windows) {
    int length = spec().inputLength();
    int horizon = spec().horizon();
    int[] targets = targets();
    int features = lags + 1;
    double[][][] out = new double[inputs.length][horizon][targets.length];
    for (int w = 0; w < weights.length; w++) {
      // Shared weights: one row per (window, channel). Individual: one row per window.
      int[] channels = weights.length == 1 ? targets : new int[] {targets[w]};
      int rows = inputs.length * channels.length;
      double[] x = new double[rows * features];
      for (int b = 0; b < inputs.length; b++) {
        for (int c = 0; c < channels.length; c++) {
          int r = b * channels.length + c;
          for (int k = 0; k < lags; k++) {
            x[r * features + k] = inputs[b][length - lags + k][channels[c]];
          }
          x[r * features + lags] = 1;
        }
      }
      double[] flatW = flatten(weights[w]);
      double[] y;
      try (INDArray xs = Nd4j.create(x, new long[] {rows, features}, DataType.DOUBLE);
          INDArray ws = Nd4j.create(flatW, new long[] {features, horizon}, DataType.DOUBLE);
          INDArray ys = xs.mmul(ws)) {
        y = ys.data().asDouble();
      }
      for (int b = 0; b < inputs.length; b++) {
        for (int c = 0; c < channels.length; c++) {
          int r = b * channels.length + c;
          int outChannel = weights.length == 1 ? c : w;
          for (int h = 0; h < horizon; h++) {
            out[b][h][outChannel] = y[r * horizon + h];
          }
        }
      }
    }
    return out;
  }

  private static double[] flatten(double[][] matrix) {
    int cols = matrix[0].length;
    double[] flat = new double[matrix.length * cols];
    for (int i = 0; i < matrix.length; i++) {
      System.arraycopy(matrix[i], 0, flat, i * cols, cols);
    }
    return flat;
  }
}

package io.tidecast.forecaster.metrics;

/**
 * Forecast errors averaged over every element (windows x horizon steps x channels), the way the
 * Informer evaluation protocol reports them. MAPE, MSPE and sMAPE are fractions, not percentages.
 *
 * @param count the number of elements averaged
 * @param mae mean of |p - y|
 * @param mse mean of (p - y)^2
 * @param rmse sqrt(mse)
 * @param mape mean of |(p - y) / y|; infinite where some y is 0
 * @param mspe mean of ((p - y) / y)^2; infinite where some y is 0
 * @param smape mean of 2 |p - y| / (|p| + |y|), with 0/0 counted as 0
 * @param mase mean of |p - y| / s_c, where s_c is the in-sample seasonal naive MAE of channel c;
 *     NaN when no scale was given
 */
public record ErrorMetrics(
    long count, double mae, double mse, double rmse, double mape, double mspe, double smape,
    double mase) {

  /** Metrics of two equally long arrays of predictions and truths, without MASE. */
  public static ErrorMetrics of(double[] predicted, double[] actual) {
    ErrorAccumulator acc = new ErrorAccumulator(null);
    acc.add(predicted, actual);
    return acc.result();
  }

  public static double mae(double[] predicted, double[] actual) {
    return of(predicted, actual).mae();
  }

  public static double mse(double[] predicted, double[] actual) {
    return of(predicted, actual).mse();
  }

  /**
   * The MASE scale of each channel: the mean absolute difference between a value and the value
   * {@code period} steps earlier, over the in-sample rows {@code series[time][channel]}.
   *
   * @throws IllegalArgumentException if there are not more rows than the period
   */
  public static double[] maseScale(double[][] series, int period) {
    if (period < 1 || series.length <= period) {
      throw new IllegalArgumentException(
          "MASE scale needs more than " + period + " rows, got " + series.length);
    }
    int channels = series[0].length;
    double[] scale = new double[channels];
    for (int t = period; t < series.length; t++) {
      for (int c = 0; c < channels; c++) {
        scale[c] += Math.abs(series[t][c] - series[t - period][c]);
      }
    }
    for (int c = 0; c < channels; c++) {
      scale[c] /= series.length - period;
    }
    return scale;
  }
}

package io.tidecast.forecaster.metrics;

/**
 * Sums the errors of forecasts batch by batch, so an evaluation over thousands of windows never
 * holds them all, and turns the sums into {@link ErrorMetrics}.
 */
public final class ErrorAccumulator {

  private final double[] maseScale;
  private long count;
  private double sumAbs;
  private double sumSq;
  private double sumAbsPct;
  private double sumSqPct;
  private double sumSym;
  private double sumScaled;

  /**
   * @param maseScale per-channel MASE scales ({@link ErrorMetrics#maseScale}), or null for no MASE
   */
  public ErrorAccumulator(double[] maseScale) {
    this.maseScale = maseScale == null ? null : maseScale.clone();
  }

  /** Adds one element of channel {@code channel}. */
  public void add(double predicted, double actual, int channel) {
    double err = predicted - actual;
    double abs = Math.abs(err);
    count++;
    sumAbs += abs;
    sumSq += err * err;
    double pct = err / actual;
    sumAbsPct += Math.abs(pct);
    sumSqPct += pct * pct;
    double denominator = Math.abs(predicted) + Math.abs(actual);
    sumSym += denominator == 0 ? 0 : 2 * abs / denominator;
    if (maseScale != null) {
      sumScaled += abs / maseScale[channel];
    }
  }

  /** Adds a flat array whose elements are all of one channel, or with no MASE scale given. */
  public void add(double[] predicted, double[] actual) {
    if (predicted.length != actual.length) {
      throw new IllegalArgumentException(
          predicted.length + " predictions but " + actual.length + " actual values");
    }
    if (maseScale != null && maseScale.length != 1) {
      throw new IllegalStateException("flat arrays carry no channel; add [step][channel] rows instead");
    }
    for (int i = 0; i < predicted.length; i++) {
      add(predicted[i], actual[i], 0);
    }
  }

  /** Adds the rows {@code [step][channel]} of one forecast against the actual rows. */
  public void add(double[][] predicted, double[][] actual) {
    if (predicted.length != actual.length) {
      throw new IllegalArgumentException(
          predicted.length + " predicted steps but " + actual.length + " actual steps");
    }
    for (int t = 0; t < predicted.length; t++) {
      if (predicted[t].length != actual[t].length) {
        throw new IllegalArgumentException("step " + t + ": " + predicted[t].length
            + " predicted channels but " + actual[t].length + " actual channels");
      }
      for (int c = 0; c < predicted[t].length; c++) {
        add(predicted[t][c], actual[t][c], c);
      }
    }
  }

  public long count() {
    return count;
  }

  /**
   * @throws IllegalStateException if nothing was added
   */
  public ErrorMetrics result() {
    if (count == 0) {
      throw new IllegalStateException("no errors were added");
    }
    double n = count;
    double mse = sumSq / n;
    return new ErrorMetrics(count, sumAbs / n, mse, Math.sqrt(mse), sumAbsPct / n, sumSqPct / n,
        sumSym / n, maseScale == null ? Double.NaN : sumScaled / n);
  }
}

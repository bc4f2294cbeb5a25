package io.tidecast.zoo.eval;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.metrics.ErrorAccumulator;
import io.tidecast.forecaster.metrics.ErrorMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Slides a window one step at a time over held-out rows, forecasts every position through the
 * {@link Forecaster} contract in batches, and scores the forecasts on standardised values (the
 * training rows' scaler), averaging over windows x horizon steps x channels.
 */
public final class Backtest {

  private final int batchSize;

  public Backtest(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    this.batchSize = batchSize;
  }

  /** The outcome of one backtest. */
  public record Result(int windows, ErrorMetrics metrics) {}

  /**
   * @param rows the held-out rows, history included (such as the test rows of a split)
   * @param scaler the scaler of the training rows, over the channels of {@code rows}
   * @param maseScale per output channel, on standardised values, or null
   * @throws IllegalArgumentException if {@code rows} is shorter than one window and its horizon
   */
  public Result run(Forecaster forecaster, TimeSeries rows, StandardScaler scaler, double[] maseScale) {
    ForecasterSpec spec = forecaster.spec();
    int length = spec.inputLength();
    int horizon = spec.horizon();
    int windows = rows.length() - length - horizon + 1;
    if (windows < 1) {
      throw new IllegalArgumentException(rows.name() + ": " + rows.length() + " rows hold no window of "
          + length + " + " + horizon + " steps");
    }
    int[] outputs = spec.outputChannels().stream().mapToInt(rows::channelIndex).toArray();
    double[][] values = rows.values();
    ErrorAccumulator errors = new ErrorAccumulator(maseScale);
    for (int first = 0; first < windows; first += batchSize) {
      int count = Math.min(batchSize, windows - first);
      List<SeriesWindow> batch = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        batch.add(rows.window(first + i, length));
      }
      List<Forecast> forecasts = forecaster.forecast(batch);
      for (int i = 0; i < count; i++) {
        int targetStart = first + i + length;
        Forecast forecast = forecasts.get(i);
        for (int h = 0; h < horizon; h++) {
          for (int c = 0; c < outputs.length; c++) {
            int channel = outputs[c];
            double predicted = scaler.transform(forecast.steps().get(h).yhat(c), channel);
            double actual = scaler.transform(values[targetStart + h][channel], channel);
            errors.add(predicted, actual, c);
          }
        }
      }
    }
    return new Result(windows, errors.result());
  }
}

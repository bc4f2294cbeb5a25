package io.tidecast.zoo.baseline;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.zoo.WindowForecaster;
import java.util.List;

/**
 * Repeats the last season: the forecast for {@code h} steps ahead is the value one or more whole
 * periods earlier, {@code y[T + h - period * ceil(h / period)]}. With period 1 it is the naive
 * last-value forecast.
 */
final class SeasonalNaive extends WindowForecaster {

  private final int period;

  SeasonalNaive(ModelId id, ForecasterSpec spec, StandardScaler scaler, int period) {
    super(id, spec, scaler, targetIndices(spec));
    if (period < 1 || period > spec.inputLength()) {
      throw new IllegalArgumentException("seasonal naive needs 1 <= period <= input length ("
          + spec.inputLength() + "), got period " + period);
    }
    this.period = period;
  }

  int period() {
    return period;
  }

  @Override
  protected double[][][] predictScaled(double[][][] inputs, List<SeriesWindow> windows) {
    int length = spec().inputLength();
    int horizon = spec().horizon();
    int[] targets = targets();
    double[][][] out = new double[inputs.length][horizon][targets.length];
    for (int b = 0; b < inputs.length; b++) {
      for (int h = 0; h < horizon; h++) {
        double[] source = inputs[b][length - period + h % period];
        for (int c = 0; c < targets.length; c++) {
          out[b][h][c] = source[targets[c]];
        }
      }
    }
    return out;
  }
}

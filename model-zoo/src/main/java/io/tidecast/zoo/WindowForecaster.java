package io.tidecast.zoo;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.ForecastStep;
import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.forecaster.data.StandardScaler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The part every window model shares: checking windows, scaling them with the training statistics,
 * and turning the model's scaled output back into time-stamped forecasts. A subclass only maps a
 * batch of scaled windows to a batch of scaled forecasts.
 */
public abstract class WindowForecaster implements Forecaster {

  private final ModelId id;
  private final ForecasterSpec spec;
  private final StandardScaler scaler;
  private final int[] targets;

  /**
   * @param scaler fit on the training rows of the input channels
   * @param targets the input-channel index of each output channel
   */
  protected WindowForecaster(ModelId id, ForecasterSpec spec, StandardScaler scaler, int[] targets) {
    this.id = id;
    this.spec = spec;
    this.scaler = scaler;
    this.targets = targets.clone();
    if (scaler.channels() != spec.inputChannels().size() || targets.length != spec.outputChannels().size()) {
      throw new IllegalArgumentException("scaler or targets do not match " + spec);
    }
  }

  /** The input-channel index of every output channel of {@code spec}. */
  protected static int[] targetIndices(ForecasterSpec spec) {
    return spec.outputChannels().stream().mapToInt(spec.inputChannels()::indexOf).toArray();
  }

  @Override
  public final ModelId id() {
    return id;
  }

  @Override
  public final ForecasterSpec spec() {
    return spec;
  }

  public final StandardScaler scaler() {
    return scaler;
  }

  /** The input-channel index of each output channel. */
  protected final int[] targets() {
    return targets.clone();
  }

  @Override
  public final List<Forecast> forecast(List<SeriesWindow> windows) {
    if (windows.isEmpty()) {
      return List.of();
    }
    double[][][] inputs = new double[windows.size()][][];
    for (int b = 0; b < windows.size(); b++) {
      SeriesWindow window = windows.get(b);
      spec.check(window);
      if (window.hasGaps()) {
        throw new IllegalArgumentException("window of " + window.series() + " has gaps; "
            + id.name() + " forecasts from complete windows only");
      }
      inputs[b] = scaled(window);
    }
    double[][][] outputs = predictScaled(inputs, windows);
    List<Forecast> forecasts = new ArrayList<>(windows.size());
    for (int b = 0; b < windows.size(); b++) {
      forecasts.add(toForecast(windows.get(b), outputs[b]));
    }
    return forecasts;
  }

  private double[][] scaled(SeriesWindow window) {
    double[][] rows = new double[window.length()][scaler.channels()];
    for (int t = 0; t < rows.length; t++) {
      for (int c = 0; c < rows[t].length; c++) {
        rows[t][c] = scaler.transform(window.value(t, c), c);
      }
    }
    return rows;
  }

  private Forecast toForecast(SeriesWindow window, double[][] scaled) {
    return toForecast(window.series(), window.end(), scaled);
  }

  /**
   * A forecast issued at {@code end} from the model's standardised output
   * {@code [horizon][outputChannels]}: values back in the series' units, one step per horizon.
   */
  protected final Forecast toForecast(String series, Instant end, double[][] scaled) {
    List<ForecastStep> steps = new ArrayList<>(spec.horizon());
    for (int h = 0; h < spec.horizon(); h++) {
      double[] yhat = new double[targets.length];
      for (int c = 0; c < targets.length; c++) {
        yhat[c] = scaler.inverse(scaled[h][c], targets[c]);
      }
      steps.add(ForecastStep.point(spec.frequency().plus(end, h + 1L), yhat));
    }
    return new Forecast(series, end, id, spec.outputChannels(), steps);
  }

  /**
   * Forecasts a batch of scaled windows.
   *
   * @param inputs {@code [batch][inputLength][inputChannels]}, standardised
   * @param windows the windows themselves, checked, for their timestamps
   * @return {@code [batch][horizon][outputChannels]}, standardised
   */
  protected abstract double[][][] predictScaled(double[][][] inputs, List<SeriesWindow> windows);
}

package io.tidecast.streams.topology;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.ForecastStep;
import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.SeriesWindow;
import java.util.ArrayList;
import java.util.List;

/** Repeats each window's last row, and records every call it gets: a test double for one class. */
final class RecordingForecaster implements Forecaster {

  final List<List<SeriesWindow>> calls = new ArrayList<>();
  private final ForecasterSpec spec;

  RecordingForecaster(ForecasterSpec spec) {
    this.spec = spec;
  }

  @Override
  public ModelId id() {
    return new ModelId("last", "1");
  }

  @Override
  public ForecasterSpec spec() {
    return spec;
  }

  @Override
  public List<Forecast> forecast(List<SeriesWindow> windows) {
    calls.add(List.copyOf(windows));
    List<Forecast> out = new ArrayList<>();
    for (SeriesWindow w : windows) {
      spec.check(w);
      double[] last = w.values()[w.length() - 1];
      List<ForecastStep> steps = new ArrayList<>();
      for (int h = 1; h <= spec.horizon(); h++) {
        steps.add(ForecastStep.point(spec.frequency().plus(w.end(), h), last));
      }
      out.add(new Forecast(w.series(), w.end(), id(), spec.outputChannels(), steps));
    }
    return out;
  }

  List<SeriesWindow> windows() {
    return calls.stream().flatMap(List::stream).toList();
  }
}

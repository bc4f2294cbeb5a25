package io.tidecast.zoo.eval;

import io.tidecast.forecaster.data.TimeSeries;
import java.util.List;

/**
 * A model that describes how it works on data beyond its errors (spike rates, operation counts);
 * {@code zoo eval --checkpoint} prints it after the test metrics.
 */
public interface ModelReport {

  /**
   * Lines of text about every window of {@code rows} (unscaled, the model's input channels) that
   * has a full input and horizon.
   */
  List<String> report(TimeSeries rows);
}

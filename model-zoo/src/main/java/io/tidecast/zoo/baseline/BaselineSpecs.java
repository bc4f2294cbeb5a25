package io.tidecast.zoo.baseline;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.spi.ModelSettings;
import java.util.List;

/** The spec of a baseline trained on a series: all its channels in, the targets out. */
final class BaselineSpecs {

  private BaselineSpecs() {}

  static ForecasterSpec of(TimeSeries train, ModelSettings settings) {
    List<String> outputs = settings.targets().isEmpty() ? train.channels() : settings.targets();
    outputs.forEach(train::channelIndex);
    return new ForecasterSpec(
        settings.inputLength(), settings.horizon(), train.channels(), outputs, train.frequency());
  }
}

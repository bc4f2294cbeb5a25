package io.tidecast.zoo.baseline;

import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.spi.ModelProvider;
import io.tidecast.forecaster.spi.ModelSettings;
import java.util.Set;

/** Registers {@code seasonal-naive}. Option {@code period}: steps per season (default: one day). */
public final class SeasonalNaiveProvider implements ModelProvider {

  public static final String KIND = "seasonal-naive";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String description() {
    return "repeats the last season of the window (period in steps, default one day)";
  }

  @Override
  public Set<String> options() {
    return Set.of("period");
  }

  @Override
  public Forecaster train(TimeSeries train, TimeSeries validation, ModelSettings settings) {
    ForecasterSpec spec = BaselineSpecs.of(train, settings);
    int period = settings.intOption("period", Seasonality.defaultPeriod(train.frequency()));
    StandardScaler scaler = StandardScaler.fit(train.values(), 0, train.length());
    return new SeasonalNaive(new ModelId(settings.name(), "period-" + period), spec, scaler, period);
  }
}

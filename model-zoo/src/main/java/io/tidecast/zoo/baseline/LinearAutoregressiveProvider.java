package io.tidecast.zoo.baseline;

import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.spi.ModelProvider;
import io.tidecast.forecaster.spi.ModelSettings;
import java.util.Set;

/**
 * Registers {@code linear-ar}. Options: {@code lags} (default: the input length), {@code ridge}
 * (penalty per training row, default 0), {@code individual} (one weight matrix per channel,
 * default false).
 */
public final class LinearAutoregressiveProvider implements ModelProvider {

  public static final String KIND = "linear-ar";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String description() {
    return "direct multi-horizon linear autoregression on each channel's own lags, least squares";
  }

  @Override
  public Set<String> options() {
    return Set.of("lags", "ridge", "individual");
  }

  @Override
  public Forecaster train(TimeSeries train, TimeSeries validation, ModelSettings settings) {
    ForecasterSpec spec = BaselineSpecs.of(train, settings);
    int lags = settings.intOption("lags", settings.inputLength());
    double ridge = settings.doubleOption("ridge", 0);
    if (!(ridge >= 0)) {
      throw new IllegalArgumentException("ridge must be >= 0, got " + ridge);
    }
    boolean individual = settings.booleanOption("individual", false);
    StandardScaler scaler = StandardScaler.fit(train.values(), 0, train.length());
    ModelId id = new ModelId(settings.name(), "lags-" + lags
        + (ridge > 0 ? "-ridge-" + ridge : "") + (individual ? "-individual" : ""));
    return LinearAutoregressive.fit(
        id, spec, scaler, scaler.transform(train.values()), lags, ridge, individual);
  }
}

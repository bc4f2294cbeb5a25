package io.tidecast.zoo.data;

import io.tidecast.forecaster.data.TimeSeries;
import java.util.List;

/** Which channels go in and which come out, in the terms of the long-sequence forecasting papers. */
public enum Mode {
  /** Every channel in, every channel out. */
  M,
  /** The target in, the target out. */
  S,
  /** Every channel in, the target out. */
  MS;

  /** The series a model of this mode reads: the target alone for S, all channels otherwise. */
  public TimeSeries inputs(TimeSeries series, String target) {
    series.channelIndex(target);
    return this == S ? series.select(List.of(target)) : series;
  }

  /** The channels a model of this mode forecasts; empty means all of them. */
  public List<String> targets(String target) {
    return this == M ? List.of() : List.of(target);
  }
}

package io.tidecast.zoo.baseline;

import io.tidecast.forecaster.Frequency;

/** The natural season of a frequency, used when no period is given. */
final class Seasonality {

  private Seasonality() {}

  /**
   * One day of rows for sub-daily data (24 for hourly, 96 for 15-minute), a week for daily data, a
   * year for weekly and monthly data.
   */
  static int defaultPeriod(Frequency frequency) {
    int m = frequency.multiple();
    int period = switch (frequency.code()) {
      case "s" -> 86_400 / m;
      case "t" -> 1_440 / m;
      case "h" -> 24 / m;
      case "d" -> 7 / m;
      case "w" -> 52 / m;
      case "m" -> 12 / m;
      default -> 1;
    };
    return Math.max(1, period);
  }
}

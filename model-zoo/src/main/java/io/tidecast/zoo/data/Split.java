package io.tidecast.zoo.data;

import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.data.TimeSeries;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a series splits into training, validation and test rows. Train rows are {@code [0,
 * trainEnd)}; validation targets lie in {@code [trainEnd, validationEnd)} and test targets in
 * {@code [validationEnd, testEnd)}. A window needs {@code inputLength} rows of history, so the
 * validation and test rows start that many rows earlier (the history comes from the previous part,
 * as in the Informer protocol). Scaling statistics are fit on the train rows only.
 *
 * @param trainEnd end of the train rows (exclusive)
 * @param validationEnd end of the validation rows (exclusive)
 * @param testEnd end of the test rows (exclusive); rows after it are never used
 */
public record Split(int trainEnd, int validationEnd, int testEnd) {

  public Split {
    if (trainEnd < 1 || validationEnd < trainEnd || testEnd <= validationEnd) {
      throw new IllegalArgumentException("split boundaries must satisfy 0 < train <= validation < test, got "
          + trainEnd + ", " + validationEnd + ", " + testEnd);
    }
  }

  /**
   * The ETT protocol: 12 months of train rows, 4 of validation, 4 of test, months of 30 days
   * ({@code [0, 8640)}, {@code [8640, 11520)}, {@code [11520, 14400)} for hourly rows; four times
   * as many for 15-minute rows).
   *
   * @throws IllegalArgumentException if the series is shorter than 20 such months
   */
  public static Split ettMonths(TimeSeries series) {
    long rowsPerMonth = rowsPer(Duration.ofDays(30), series.frequency());
    Split split = new Split(Math.toIntExact(12 * rowsPerMonth), Math.toIntExact(16 * rowsPerMonth),
        Math.toIntExact(20 * rowsPerMonth));
    if (split.testEnd() > series.length()) {
      throw new IllegalArgumentException(series.name() + " has " + series.length() + " rows; the ETT "
          + "protocol (12/4/4 months of 30 days at " + series.frequency() + ") needs "
          + split.testEnd() + "; use the ratio split");
    }
    return split;
  }

  /**
   * Train, validation and test by fractions of the rows: train {@code floor(n * train)}, test
   * {@code floor(n * test)}, validation the rest (0.7 / 0.1 / 0.2 is the usual choice).
   */
  public static Split ratio(int rows, double train, double test) {
    if (!(train > 0) || !(test > 0) || train + test >= 1) {
      throw new IllegalArgumentException("ratios must be positive and leave room for validation, got train "
          + train + ", test " + test);
    }
    int trainRows = (int) (rows * train);
    int testRows = (int) (rows * test);
    return new Split(trainRows, rows - testRows, rows);
  }

  /** First row of the validation windows' history. */
  public int validationStart(int inputLength) {
    return Math.max(0, trainEnd - inputLength);
  }

  /** First row of the test windows' history. */
  public int testStart(int inputLength) {
    return Math.max(0, validationEnd - inputLength);
  }

  public TimeSeries train(TimeSeries series) {
    return series.slice(0, trainEnd);
  }

  public TimeSeries validation(TimeSeries series, int inputLength) {
    return series.slice(validationStart(inputLength), validationEnd);
  }

  public TimeSeries test(TimeSeries series, int inputLength) {
    return series.slice(testStart(inputLength), testEnd);
  }

  private static long rowsPer(Duration span, Frequency frequency) {
    Instant epoch = Instant.EPOCH;
    Duration step = Duration.between(epoch, frequency.plus(epoch, 1));
    return span.getSeconds() / step.getSeconds();
  }

  @Override
  public String toString() {
    return "train [0, " + trainEnd + "), validation [.., " + validationEnd + "), test [.., " + testEnd + ")";
  }
}

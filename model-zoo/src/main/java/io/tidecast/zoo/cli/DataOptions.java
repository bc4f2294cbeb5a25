package io.tidecast.zoo.cli;

import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.data.CsvSeries;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.zoo.data.Mode;
import io.tidecast.zoo.data.Split;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options that say which series to read and how to split it, shared by zoo commands. */
final class DataOptions {

  @Option(names = "--data", required = true, description = "CSV file: a time column and numeric columns.")
  Path data;

  @Option(names = "--time-column", description = "Name of the time column (default: the first column).")
  String timeColumn;

  @Option(names = "--freq", description = "Frequency such as h, 15min, d (default: inferred).")
  String frequency;

  @Option(names = "--split", defaultValue = "ett",
      description = "ett (12/4/4 months of 30 days) or ratio (0.7/0.1/0.2). Default: ${DEFAULT-VALUE}.")
  String split;

  @Option(names = "--mode", defaultValue = "M", description = "M, S or MS. Default: ${DEFAULT-VALUE}.")
  Mode mode;

  @Option(names = "--target", defaultValue = "OT", description = "Target channel for S and MS. Default: ${DEFAULT-VALUE}.")
  String target;

  /** The whole file. */
  TimeSeries readAll() {
    return CsvSeries.read(data, timeColumn, frequency == null ? null : Frequency.parse(frequency));
  }

  /** Train, validation and test rows of {@code series}. */
  Split split(TimeSeries series) {
    return switch (split.toLowerCase(Locale.ROOT)) {
      case "ett" -> Split.ettMonths(series);
      case "ratio" -> Split.ratio(series.length(), 0.7, 0.2);
      default -> throw new IllegalArgumentException("unknown split '" + split + "'; use ett or ratio");
    };
  }
}

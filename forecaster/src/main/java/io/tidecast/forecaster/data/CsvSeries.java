package io.tidecast.forecaster.data;

import io.tidecast.forecaster.Frequency;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a series from a CSV file: a header line, one time stamp column, and numeric columns that
 * become the channels. Time stamps are ISO-8601 (with or without an offset; without one they are
 * UTC), {@code yyyy-MM-dd HH:mm[:ss]}, a date, or epoch milliseconds. Rows must be in strictly
 * increasing time order and every cell must be a finite number.
 *
 * <p>Anything else is refused with a {@link CsvFormatException} that gives the line and the reason.
 */
public final class CsvSeries {

  private static final DateTimeFormatter SPACED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss][.SSS]");

  private CsvSeries() {}

  /** Reads {@code file} with the time stamps in column {@code timeColumn} (null: the first). */
  public static TimeSeries read(Path file, String timeColumn, Frequency frequency) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(file, in, timeColumn, frequency);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads the first column as time stamps and infers the frequency from the data. */
  public static TimeSeries read(Path file) {
    return read(file, null, null);
  }

  static TimeSeries read(Path file, BufferedReader in, String timeColumn, Frequency frequency)
      throws IOException {
    String header = in.readLine();
    if (header == null || header.isBlank()) {
      throw new CsvFormatException(file, 1, "no header line; expected a time column and value columns");
    }
    if (header.startsWith("\uFEFF")) {
      header = header.substring(1);
    }
    String[] names = split(header);
    int timeIndex = 0;
    if (timeColumn != null) {
      timeIndex = Arrays.asList(names).indexOf(timeColumn);
      if (timeIndex < 0) {
        throw new CsvFormatException(file, 1, "no time column '" + timeColumn + "' in header "
            + Arrays.toString(names));
      }
    }
    if (names.length < 2) {
      throw new CsvFormatException(file, 1, "header has " + names.length
          + " column(s); expected a time column and at least one value column");
    }
    List<String> channels = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      if (i != timeIndex) {
        if (names[i].isEmpty() || channels.contains(names[i])) {
          throw new CsvFormatException(file, 1, "column " + (i + 1) + " has an empty or repeated name '"
              + names[i] + "'");
        }
        channels.add(names[i]);
      }
    }

    List<Instant> times = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    long lineNo = 1;
    String line;
    while ((line = in.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] cells = split(line);
      if (cells.length != names.length) {
        throw new CsvFormatException(file, lineNo, "has " + cells.length + " cells, the header has "
            + names.length);
      }
      Instant ts = parseTime(file, lineNo, cells[timeIndex]);
      if (!times.isEmpty() && !ts.isAfter(times.get(times.size() - 1))) {
        throw new CsvFormatException(file, lineNo, "time stamp " + cells[timeIndex]
            + " is not after the previous row's; rows must be in increasing time order");
      }
      double[] row = new double[channels.size()];
      for (int i = 0, c = 0; i < cells.length; i++) {
        if (i != timeIndex) {
          row[c] = parseValue(file, lineNo, names[i], cells[i]);
          c++;
        }
      }
      times.add(ts);
      rows.add(row);
    }
    if (rows.size() < 2) {
      throw new CsvFormatException(file, 0, "has " + rows.size() + " data row(s); a series needs two or more");
    }
    Instant[] timestamps = times.toArray(Instant[]::new);
    Frequency freq = frequency != null ? frequency : inferFrequency(timestamps);
    String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    return new TimeSeries(name, channels, freq, timestamps, rows.toArray(double[][]::new));
  }

  private static String[] split(String line) {
    String[] cells = line.split(",", -1);
    for (int i = 0; i < cells.length; i++) {
      String cell = cells[i].trim();
      if (cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"")) {
        cell = cell.substring(1, cell.length() - 1);
      }
      cells[i] = cell;
    }
    return cells;
  }

  private static double parseValue(Path file, long lineNo, String column, String cell) {
    if (cell.isEmpty()) {
      throw new CsvFormatException(file, lineNo, "column '" + column + "' is empty");
    }
    double value;
    try {
      value = Double.parseDouble(cell);
    } catch (NumberFormatException e) {
      throw new CsvFormatException(file, lineNo, "column '" + column + "': '" + cell + "' is not a number");
    }
    if (!Double.isFinite(value)) {
      throw new CsvFormatException(file, lineNo, "column '" + column + "': '" + cell + "' is not finite");
    }
    return value;
  }

  static Instant parseTime(Path file, long lineNo, String cell) {
    if (cell.isEmpty()) {
      throw new CsvFormatException(file, lineNo, "the time stamp is empty");
    }
    if (cell.chars().allMatch(Character::isDigit)) {
      return Instant.ofEpochMilli(Long.parseLong(cell));
    }
    try {
      if (cell.length() == 10) {
        return LocalDate.parse(cell).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      if (cell.indexOf('T') > 0) {
        return hasOffset(cell)
            ? OffsetDateTime.parse(cell).toInstant()
            : LocalDateTime.parse(cell).toInstant(ZoneOffset.UTC);
      }
      return LocalDateTime.parse(cell, SPACED).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new CsvFormatException(file, lineNo, "'" + cell + "' is not a time stamp (ISO-8601, "
          + "yyyy-MM-dd HH:mm:ss, a date, or epoch milliseconds)");
    }
  }

  private static boolean hasOffset(String cell) {
    int t = cell.indexOf('T');
    return cell.endsWith("Z") || cell.indexOf('+', t) > 0 || cell.indexOf('-', t) > 0;
  }

  /** The frequency of the median step between consecutive rows. */
  static Frequency inferFrequency(Instant[] timestamps) {
    long[] steps = new long[timestamps.length - 1];
    for (int i = 1; i < timestamps.length; i++) {
      steps[i - 1] = Duration.between(timestamps[i - 1], timestamps[i]).getSeconds();
    }
    Arrays.sort(steps);
    long median = steps[steps.length / 2];
    return Frequency.ofStep(Duration.ofSeconds(median));
  }
}

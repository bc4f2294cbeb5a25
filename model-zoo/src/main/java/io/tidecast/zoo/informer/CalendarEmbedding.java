package io.tidecast.zoo.informer;

import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.data.TimeFeatures;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;

/**
 * How an Informer embeds the calendar of each step: {@link #TIME_F} feeds the scaled calendar
 * features of {@link TimeFeatures} through a learned linear map; {@link #FIXED} looks up the
 * integer calendar fields (month, day of month, day of week, hour, and the quarter of the hour for
 * sub-hourly data) in fixed sinusoidal tables and adds the rows, with nothing learned.
 */
public enum CalendarEmbedding {
  TIME_F("timeF"),
  FIXED("fixed");

  /** Table sizes of the fixed fields, in input order: month, day, weekday, hour, quarter-hour. */
  static final int[] FIELD_SIZES = {13, 32, 7, 24, 4};

  private final String code;

  CalendarEmbedding(String code) {
    this.code = code;
  }

  /** The name used in configurations and manifests: {@code timeF} or {@code fixed}. */
  public String code() {
    return code;
  }

  /** @throws IllegalArgumentException naming the known codes */
  public static CalendarEmbedding parse(String code) {
    for (CalendarEmbedding e : values()) {
      if (e.code.equals(code)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown calendar embedding '" + code
        + "'; known: timeF, fixed");
  }

  /** Values per step this embedding reads at {@code frequency}. */
  public int size(Frequency frequency) {
    return this == TIME_F ? TimeFeatures.of(frequency).size() : fields(frequency);
  }

  /** The values of one step. */
  public double[] encode(Frequency frequency, Instant ts) {
    return encoder(frequency).apply(ts);
  }

  /** The encoding at {@code frequency}, resolved once: for a loop over many steps. */
  public Function<Instant, double[]> encoder(Frequency frequency) {
    if (this == TIME_F) {
      return TimeFeatures.of(frequency)::encode;
    }
    return ts -> fixedFields(frequency, ts);
  }

  private static double[] fixedFields(Frequency frequency, Instant ts) {
    LocalDateTime t = LocalDateTime.ofInstant(ts, ZoneOffset.UTC);
    double[] fields = new double[fields(frequency)];
    fields[0] = t.getMonthValue();
    fields[1] = t.getDayOfMonth();
    fields[2] = t.getDayOfWeek().getValue() - 1;
    fields[3] = t.getHour();
    if (fields.length > 4) {
      fields[4] = t.getMinute() / 15;
    }
    return fields;
  }

  /** {@code [time][value]} for a sequence of time stamps. */
  public double[][] encode(Frequency frequency, Instant[] timestamps) {
    Function<Instant, double[]> encoder = encoder(frequency);
    double[][] out = new double[timestamps.length][];
    for (int i = 0; i < timestamps.length; i++) {
      out[i] = encoder.apply(timestamps[i]);
    }
    return out;
  }

  private static int fields(Frequency frequency) {
    return frequency.unit().compareTo(ChronoUnit.HOURS) < 0 ? 5 : 4;
  }
}

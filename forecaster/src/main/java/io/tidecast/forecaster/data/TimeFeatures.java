package io.tidecast.forecaster.data;

import io.tidecast.forecaster.Frequency;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Calendar features of time stamps, each scaled to {@code [-0.5, 0.5]}: the Informer {@code timeF}
 * encoding. Which features a series gets depends on its frequency unit:
 *
 * <ul>
 *   <li>{@code s}: second of minute, minute of hour, hour of day, day of week, day of month, day of year
 *   <li>{@code t} (minutes, e.g. 15min): minute of hour, hour of day, day of week, day of month, day of year
 *   <li>{@code h}: hour of day, day of week, day of month, day of year
 *   <li>{@code d}: day of week, day of month, day of year
 *   <li>{@code w}: day of month, week of year
 *   <li>{@code m}: month of year
 * </ul>
 *
 * <p>Time stamps are read in UTC.
 */
public final class TimeFeatures {

  /** One calendar feature. */
  public enum Feature {
    SECOND_OF_MINUTE(t -> t.getSecond() / 59.0 - 0.5),
    MINUTE_OF_HOUR(t -> t.getMinute() / 59.0 - 0.5),
    HOUR_OF_DAY(t -> t.getHour() / 23.0 - 0.5),
    /** Monday is 0, Sunday 6. */
    DAY_OF_WEEK(t -> (t.getDayOfWeek().getValue() - 1) / 6.0 - 0.5),
    DAY_OF_MONTH(t -> (t.getDayOfMonth() - 1) / 30.0 - 0.5),
    DAY_OF_YEAR(t -> (t.getDayOfYear() - 1) / 365.0 - 0.5),
    MONTH_OF_YEAR(t -> (t.getMonthValue() - 1) / 11.0 - 0.5),
    /** ISO-8601 week number, 1 to 53. */
    WEEK_OF_YEAR(t -> (t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR) - 1) / 52.0 - 0.5);

    private final ToDoubleFunction<LocalDateTime> encode;

    Feature(ToDoubleFunction<LocalDateTime> encode) {
      this.encode = encode;
    }

    public double of(Instant ts) {
      return encode.applyAsDouble(LocalDateTime.ofInstant(ts, ZoneOffset.UTC));
    }
  }

  private final List<Feature> features;

  private TimeFeatures(List<Feature> features) {
    this.features = features;
  }

  /** The {@code timeF} feature set of a frequency. */
  public static TimeFeatures of(Frequency frequency) {
    return new TimeFeatures(switch (frequency.code()) {
      case "s" -> List.of(Feature.SECOND_OF_MINUTE, Feature.MINUTE_OF_HOUR, Feature.HOUR_OF_DAY,
          Feature.DAY_OF_WEEK, Feature.DAY_OF_MONTH, Feature.DAY_OF_YEAR);
      case "t" -> List.of(Feature.MINUTE_OF_HOUR, Feature.HOUR_OF_DAY, Feature.DAY_OF_WEEK,
          Feature.DAY_OF_MONTH, Feature.DAY_OF_YEAR);
      case "h" -> List.of(Feature.HOUR_OF_DAY, Feature.DAY_OF_WEEK, Feature.DAY_OF_MONTH,
          Feature.DAY_OF_YEAR);
      case "d" -> List.of(Feature.DAY_OF_WEEK, Feature.DAY_OF_MONTH, Feature.DAY_OF_YEAR);
      case "w" -> List.of(Feature.DAY_OF_MONTH, Feature.WEEK_OF_YEAR);
      case "m" -> List.of(Feature.MONTH_OF_YEAR);
      default -> throw new IllegalArgumentException("no time features for frequency " + frequency);
    });
  }

  public List<Feature> features() {
    return features;
  }

  public int size() {
    return features.size();
  }

  /** The features of one time stamp, in the order of {@link #features()}. */
  public double[] encode(Instant ts) {
    LocalDateTime local = LocalDateTime.ofInstant(ts, ZoneOffset.UTC);
    double[] out = new double[features.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = features.get(i).encode.applyAsDouble(local);
    }
    return out;
  }

  /** {@code [time][feature]} for a sequence of time stamps. */
  public double[][] encode(Instant[] timestamps) {
    double[][] out = new double[timestamps.length][];
    for (int t = 0; t < timestamps.length; t++) {
      out[t] = encode(timestamps[t]);
    }
    return out;
  }
}

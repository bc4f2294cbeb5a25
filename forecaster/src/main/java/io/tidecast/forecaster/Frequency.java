package io.tidecast.forecaster;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sampling frequency of a series: a multiple of a calendar unit, such as {@code 1h} or
 * {@code 15min}. Written as pandas-style offset aliases: {@code s}, {@code t} or {@code min},
 * {@code h}, {@code d}, {@code w}, {@code m} (month), each with an optional leading multiple.
 *
 * <p>Months step on the calendar (UTC), every other unit is a fixed duration.
 */
public record Frequency(ChronoUnit unit, int multiple) {

  private static final Pattern ALIAS = Pattern.compile("(\\d*)\\s*([a-z]+)");

  public static final Frequency HOURLY = new Frequency(ChronoUnit.HOURS, 1);

  public Frequency {
    Objects.requireNonNull(unit, "unit");
    if (multiple < 1) {
      throw new IllegalArgumentException("frequency multiple must be >= 1, got " + multiple);
    }
    switch (unit) {
      case SECONDS, MINUTES, HOURS, DAYS, WEEKS, MONTHS -> { }
      default -> throw new IllegalArgumentException("unsupported frequency unit " + unit);
    }
  }

  /** Parses an alias such as {@code h}, {@code 15min}, {@code t}, {@code 2d}, {@code m}. */
  public static Frequency parse(String alias) {
    Matcher m = ALIAS.matcher(alias.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a frequency: '" + alias + "' (try h, 15min, s, d, w, m)");
    }
    int multiple = m.group(1).isEmpty() ? 1 : Integer.parseInt(m.group(1));
    ChronoUnit unit = switch (m.group(2)) {
      case "s", "sec", "second", "seconds" -> ChronoUnit.SECONDS;
      case "t", "min", "minute", "minutes" -> ChronoUnit.MINUTES;
      case "h", "hour", "hours" -> ChronoUnit.HOURS;
      case "d", "day", "days" -> ChronoUnit.DAYS;
      case "w", "week", "weeks" -> ChronoUnit.WEEKS;
      case "m", "mon", "month", "months" -> ChronoUnit.MONTHS;
      default -> throw new IllegalArgumentException(
          "unknown frequency unit '" + m.group(2) + "' in '" + alias + "' (try h, 15min, s, d, w, m)");
    };
    return new Frequency(unit, multiple);
  }

  /** The frequency whose step is closest to {@code step}, for a series of unknown frequency. */
  public static Frequency ofStep(Duration step) {
    if (step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("a step must be positive, got " + step);
    }
    long seconds = step.getSeconds();
    if (seconds >= 28 * 86_400L && seconds <= 31 * 86_400L) {
      return new Frequency(ChronoUnit.MONTHS, 1);
    }
    for (ChronoUnit unit : new ChronoUnit[] {ChronoUnit.WEEKS, ChronoUnit.DAYS, ChronoUnit.HOURS,
        ChronoUnit.MINUTES}) {
      long unitSeconds = unit.getDuration().getSeconds();
      if (seconds % unitSeconds == 0) {
        return new Frequency(unit, Math.toIntExact(seconds / unitSeconds));
      }
    }
    return new Frequency(ChronoUnit.SECONDS, Math.toIntExact(Math.max(1, seconds)));
  }

  /**
   * The one-letter code of the unit as the Informer time features know it: {@code s}, {@code t},
   * {@code h}, {@code d}, {@code w} or {@code m}.
   */
  public String code() {
    return switch (unit) {
      case SECONDS -> "s";
      case MINUTES -> "t";
      case HOURS -> "h";
      case DAYS -> "d";
      case WEEKS -> "w";
      case MONTHS -> "m";
      default -> throw new IllegalStateException(unit.toString());
    };
  }

  /** The instant {@code steps} periods after {@code start} (negative steps go back). */
  public Instant plus(Instant start, long steps) {
    long amount = Math.multiplyExact(steps, (long) multiple);
    if (unit == ChronoUnit.MONTHS) {
      return start.atOffset(ZoneOffset.UTC).plusMonths(amount).toInstant();
    }
    return start.plus(Duration.of(amount, unit));
  }

  @Override
  public String toString() {
    String suffix = switch (unit) {
      case SECONDS -> "s";
      case MINUTES -> "min";
      case HOURS -> "h";
      case DAYS -> "d";
      case WEEKS -> "w";
      case MONTHS -> "m";
      default -> unit.toString();
    };
    return multiple == 1 ? suffix : multiple + suffix;
  }
}

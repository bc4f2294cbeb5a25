package io.tidecast.streams.message;

import java.time.Instant;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.ZoneOffset;

/**
 * ISO-8601 UTC text of an instant, as {@link Instant#toString()} writes it, and the instant of
 * ISO-8601 text with an offset, as {@link OffsetDateTime#parse} reads it; both without the
 * formatter machinery for the common case of whole seconds in UTC ({@code 2026-11-28T10:00:00Z};
 * a forecast writes one per horizon step, a reading carries one).
 */
final class IsoTime {

  private IsoTime() {}

  static String format(Instant ts) {
    if (ts.getNano() != 0) {
      return ts.toString();
    }
    LocalDateTime t = LocalDateTime.ofEpochSecond(ts.getEpochSecond(), 0, ZoneOffset.UTC);
    int year = t.getYear();
    if (year < 1000 || year > 9999) {
      return ts.toString();
    }
    char[] c = new char[20];
    digits(c, 0, year, 4);
    c[4] = '-';
    digits(c, 5, t.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, t.getDayOfMonth(), 2);
    c[10] = 'T';
    digits(c, 11, t.getHour(), 2);
    c[13] = ':';
    digits(c, 14, t.getMinute(), 2);
    c[16] = ':';
    digits(c, 17, t.getSecond(), 2);
    c[19] = 'Z';
    return new String(c);
  }

  /**
   * The instant of {@code text}: ISO-8601 with an offset.
   *
   * @throws DateTimeParseException if it is not such a time
   */
  static Instant parse(String text) {
    if (text.length() == 20 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
        && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(19) == 'Z') {
      int year = number(text, 0, 4);
      int month = number(text, 5, 2);
      int day = number(text, 8, 2);
      int hour = number(text, 11, 2);
      int minute = number(text, 14, 2);
      int second = number(text, 17, 2);
      if ((year | month | day | hour | minute | second) >= 0) {
        try {
          return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
          // a field out of range: the full parser gives its message
        }
      }
    }
    return OffsetDateTime.parse(text).toInstant();
  }

  /** The decimal number of {@code width} ASCII digits at {@code at}, or -1 if one is not a digit. */
  private static int number(String text, int at, int width) {
    int value = 0;
    for (int i = at; i < at + width; i++) {
      int d = text.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value;
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}

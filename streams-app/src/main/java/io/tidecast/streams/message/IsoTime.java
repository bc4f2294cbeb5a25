package io.tidecast.streams.message;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * ISO-8601 UTC text of an instant, as {@link Instant#toString()} writes it, without the formatter
 * machinery for the common case of whole seconds in years 1000 to 9999 (a forecast writes one per
 * horizon step).
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

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}

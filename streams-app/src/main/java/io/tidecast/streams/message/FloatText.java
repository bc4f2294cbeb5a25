package io.tidecast.streams.message;

/**
 * Writes a single-precision number as JSON text with the fewest significant digits (up to nine)
 * that read back as the same {@code float}, without the general shortest-digits algorithm: a
 * forecast carries hundreds of numbers, and this is most of the cost of writing one.
 *
 * <p>Method: scale the value by an exact power of ten to nine significant digits (always enough
 * for a {@code float}), with the interval of reals that round to the same {@code float}; drop
 * digits while a multiple of the next power of ten still lies in that interval (the nearest one);
 * check by converting back. When that check fails (a candidate on the interval's edge), the fewest
 * digits that read back are found by bisection over 1 to 9. Magnitudes whose power of ten is not
 * exact in a {@code double} (beyond about 1e-13 .. 1e13) and non-finite values go through
 * {@link Float#toString}; non-finite ones are written as JSON strings ({@code "NaN"}).
 */
final class FloatText {

  private static final double[] POWERS = new double[23];
  private static final double LOG10_2 = Math.log10(2);

  static {
    double p = 1;
    for (int i = 0; i < POWERS.length; i++) {
      POWERS[i] = p;
      p *= 10;
    }
  }

  private FloatText() {}

  /** Appends the text of {@code value} to {@code out} at {@code at}; returns the new end (needs 24 bytes free). */
  static int write(float value, byte[] out, int at) {
    if (!Float.isFinite(value)) {
      return ascii('"' + Float.toString(value) + '"', out, at);
    }
    if (value == 0) {
      return ascii(1 / value < 0 ? "-0.0" : "0.0", out, at);
    }
    float target = Math.abs(value);
    double abs = target;
    // floor(log10(abs)) from the binary exponent, then corrected by comparison
    int exponent = (int) Math.floor(Math.getExponent(abs) * LOG10_2);
    if (exponent < -12 || exponent > 12) {
      return ascii(Float.toString(value), out, at);
    }
    while (abs >= power(exponent + 1)) {
      exponent++;
    }
    while (abs < power(exponent)) {
      exponent--;
    }
    int fast = shortest(target, abs, exponent, out, at, value < 0);
    if (fast >= 0) {
      return fast;
    }
    // rarely (a candidate on the edge of the float's interval): the fewest digits that read back,
    // found by bisection (more digits never read back worse)
    long bestM = 0;
    int bestDigits = 0;
    int bestExponent = 0;
    int lo = 1;
    int hi = 9;
    while (lo <= hi) {
      int digits = (lo + hi) >>> 1;
      int shift = digits - 1 - exponent; // abs * 10^shift has `digits` digits before the point
      long m = Math.round(scale(abs, shift));
      int e = exponent;
      if (m >= POWERS[digits]) { // rounded up to the next power of ten
        m /= 10;
        shift--;
        e++;
      }
      if ((float) unscale(m, shift) == target) {
        bestM = m;
        bestDigits = digits;
        bestExponent = e;
        hi = digits - 1;
      } else {
        lo = digits + 1;
      }
    }
    if (bestDigits == 0) {
      return ascii(Float.toString(value), out, at);
    }
    return decimal(value < 0, bestM, bestDigits, bestExponent, out, at);
  }

  /**
   * The shortest digits inside the interval of reals that round to {@code target}: the value at
   * nine digits, then the multiples of 10, 100, ... nearest to it while one still lies inside.
   * Checked by converting back; returns the new end, or -1 if the check failed.
   */
  private static int shortest(float target, double abs, int exponent, byte[] out, int at, boolean negative) {
    int shift = 8 - exponent; // abs * 10^shift is in [1e8, 1e9)
    double scaled = scale(abs, shift);
    long m9 = Math.round(scaled);
    double up = Math.ulp(target) / 2.0;
    // just above a power of two the float below is half as far
    double down = (Float.floatToRawIntBits(target) & 0x7FFFFF) == 0 ? up / 2 : up;
    long lower = (long) Math.floor(scale(abs - down, shift)) + 1;
    long upper = (long) Math.ceil(scale(abs + up, shift)) - 1;
    long best = m9;
    int dropped = 0;
    long q = m9;
    long p = 1;
    for (int j = 1; j <= 8; j++) {
      q /= 10;
      p *= 10;
      long below = q * p;
      long above = below + p;
      boolean belowIn = below >= lower && below <= upper;
      boolean aboveIn = above >= lower && above <= upper;
      if (!belowIn && !aboveIn) {
        break;
      }
      best = belowIn && aboveIn ? (scaled - below <= above - scaled ? below : above) : belowIn ? below : above;
      dropped = j;
    }
    int digits = 9 - dropped;
    long m = best / (long) POWERS[dropped];
    int e = exponent;
    if (m >= POWERS[digits]) { // rounded up to the next power of ten
      m /= 10;
      e++;
    }
    if ((float) unscale(m, digits - 1 - e) != target) {
      return -1;
    }
    return decimal(negative, m, digits, e, out, at);
  }

  private static double power(int exponent) {
    return exponent >= 0 ? POWERS[exponent] : 1 / POWERS[-exponent];
  }

  private static double scale(double abs, int shift) {
    return shift >= 0 ? abs * POWERS[shift] : abs / POWERS[-shift];
  }

  private static double unscale(long m, int shift) {
    return shift >= 0 ? m / POWERS[shift] : m * POWERS[-shift];
  }

  /** Writes {@code m} (exactly {@code digits} digits) times 10^(e - digits + 1) in plain or E notation. */
  private static int decimal(boolean negative, long m, int digits, int e, byte[] out, int at) {
    int significant = digits;
    while (significant > 1 && m % 10 == 0) {
      m /= 10;
      significant--;
    }
    if (negative) {
      out[at++] = '-';
    }
    if (e >= 0 && e < 9) {
      // integer part: the first e + 1 digits (zeros where the significant ones end)
      int integer = e + 1;
      if (significant <= integer) {
        at = digits(m, significant, out, at);
        for (int i = significant; i < integer; i++) {
          out[at++] = '0';
        }
        out[at++] = '.';
        out[at++] = '0';
      } else {
        long scale = (long) POWERS[significant - integer];
        at = digits(m / scale, integer, out, at);
        out[at++] = '.';
        at = digits(m % scale, significant - integer, out, at);
      }
    } else if (e < 0 && e >= -4) {
      out[at++] = '0';
      out[at++] = '.';
      for (int i = -1; i > e; i--) {
        out[at++] = '0';
      }
      at = digits(m, significant, out, at);
    } else {
      long scale = (long) POWERS[significant - 1];
      out[at++] = (byte) ('0' + m / scale);
      out[at++] = '.';
      if (significant == 1) {
        out[at++] = '0';
      } else {
        at = digits(m % scale, significant - 1, out, at);
      }
      out[at++] = 'E';
      at = ascii(Integer.toString(e), out, at);
    }
    return at;
  }

  /** Writes {@code value} as exactly {@code count} digits, with leading zeros. */
  private static int digits(long value, int count, byte[] out, int at) {
    for (int i = at + count - 1; i >= at; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return at + count;
  }

  private static int ascii(String text, byte[] out, int at) {
    for (int i = 0; i < text.length(); i++) {
      out[at++] = (byte) text.charAt(i);
    }
    return at;
  }
}

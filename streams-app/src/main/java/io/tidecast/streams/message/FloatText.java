package io.tidecast.streams.message;

/**
 * Writes a single-precision number as JSON text with the fewest significant digits (up to nine)
 * that read back as the same {@code float}, without the general shortest-digits algorithm: a
 * forecast carries hundreds of numbers, and this is most of the cost of writing one.
 *
 * <p>Method: scale the value by an exact power of ten to nine significant digits (always enough
 * for a {@code float}), with the interval of reals that round to the same {@code float}; drop
 * digits while a multiple of the next power of ten still lies in that interval (the nearest one);
 * check by converting back. When that check fails (a candidate on the interval's edge), for
 * magnitudes whose power of ten is not exact in a {@code double} (beyond about 1e-13 .. 1e13), and
 * for non-finite values, the text is {@link Float#toString}'s; non-finite ones are written as JSON
 * strings ({@code "NaN"}).
 */
final class FloatText {

  private static final double[] POWERS = new double[23];
  private static final double LOG10_2 = Math.log10(2);
  private static final double[] NEAR_POWERS = new double[29];
  private static final int[] INT_POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
      1_000_000_000};

  static {
    double p = 1;
    for (int i = 0; i < POWERS.length; i++) {
      POWERS[i] = p;
      p *= 10;
    }
    for (int e = -14; e <= 14; e++) {
      NEAR_POWERS[e + 14] = e >= 0 ? POWERS[e] : 1 / POWERS[-e];
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
    int end = shortest(target, abs, exponent, out, at, value < 0);
    // -1: a candidate on the very edge of the float's interval, which the check refused (none in a
    // million random floats): Java's own text, longer at times but exact
    return end >= 0 ? end : ascii(Float.toString(value), out, at);
  }

  /**
   * The shortest digits inside the interval of reals that round to {@code target}: the value at
   * nine digits, then the multiples of 10, 100, ... nearest to it while one still lies inside.
   * Checked by converting back; returns the new end, or -1 if the check failed.
   */
  private static int shortest(float target, double abs, int exponent, byte[] out, int at, boolean negative) {
    int shift = 8 - exponent; // abs * 10^shift is in [1e8, 1e9)
    double scaled = scale(abs, shift);
    int m9 = (int) Math.round(scaled);
    double up = ((double) Math.nextUp(target) - abs) * 0.5;
    // just above a power of two the float below is half as far
    double down = (Float.floatToRawIntBits(target) & 0x7FFFFF) == 0 ? up * 0.5 : up;
    long lower = (long) Math.floor(scale(abs - down, shift)) + 1;
    long upper = (long) Math.ceil(scale(abs + up, shift)) - 1;
    int m = m9;
    int digits = 9;
    int q = m9;
    int p = 1;
    for (int j = 1; j <= 8; j++) {
      q /= 10;
      p *= 10;
      long below = (long) q * p;
      long above = below + p;
      boolean belowIn = below >= lower && below <= upper;
      boolean aboveIn = above >= lower && above <= upper;
      if (!belowIn && !aboveIn) {
        break;
      }
      m = belowIn && aboveIn ? (scaled - below <= above - scaled ? q : q + 1) : belowIn ? q : q + 1;
      digits = 9 - j;
    }
    int e = exponent;
    if (m >= INT_POWERS[digits]) { // rounded up to the next power of ten
      m /= 10;
      e++;
    }
    if ((float) unscale(m, digits - 1 - e) != target) {
      return -1;
    }
    return decimal(negative, m, digits, e, out, at);
  }

  /** 10^exponent for exponents -14..14, nearest double (for comparisons, not exact scaling). */
  private static double power(int exponent) {
    return NEAR_POWERS[exponent + 14];
  }

  private static double scale(double abs, int shift) {
    return shift >= 0 ? abs * POWERS[shift] : abs / POWERS[-shift];
  }

  private static double unscale(long m, int shift) {
    return shift >= 0 ? m / POWERS[shift] : m * POWERS[-shift];
  }

  /** Writes {@code m} (exactly {@code digits} digits) times 10^(e - digits + 1) in plain or E notation. */
  private static int decimal(boolean negative, int m, int digits, int e, byte[] out, int at) {
    int significant = digits;
    while (significant > 1 && m % 10 == 0) {
      m /= 10;
      significant--;
    }
    if (negative) {
      out[at++] = '-';
    }
    if (e >= 0 && e < 9) {
      int integer = e + 1; // digits before the point
      if (significant <= integer) {
        fill(m, significant, out, at, -1);
        at += significant;
        for (int i = significant; i < integer; i++) {
          out[at++] = '0';
        }
        out[at++] = '.';
        out[at++] = '0';
        return at;
      }
      fill(m, significant, out, at, integer);
      out[at + integer] = '.';
      return at + significant + 1;
    }
    if (e < 0 && e >= -4) {
      out[at++] = '0';
      out[at++] = '.';
      for (int i = -1; i > e; i--) {
        out[at++] = '0';
      }
      fill(m, significant, out, at, -1);
      return at + significant;
    }
    fill(m, significant, out, at, 1);
    out[at + 1] = '.';
    at += significant + 1;
    if (significant == 1) {
      out[at++] = '0';
    }
    out[at++] = 'E';
    return ascii(Integer.toString(e), out, at);
  }

  /**
   * Writes the {@code count} digits of {@code m} from {@code at}, leaving one byte free after the
   * first {@code pointAfter} digits (for the decimal point); -1 for none.
   */
  private static void fill(int m, int count, byte[] out, int at, int pointAfter) {
    for (int i = count - 1; i >= 0; i--) {
      out[at + i + (pointAfter >= 0 && i >= pointAfter ? 1 : 0)] = (byte) ('0' + m % 10);
      m /= 10;
    }
  }

  private static int ascii(String text, byte[] out, int at) {
    for (int i = 0; i < text.length(); i++) {
      out[at++] = (byte) text.charAt(i);
    }
    return at;
  }
}

package io.tidecast.streams.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FloatTextTest {

  private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  private static String text(float value) {
    byte[] out = new byte[32];
    int end = FloatText.write(value, out, 0);
    return new String(out, 0, end, StandardCharsets.US_ASCII);
  }

  private static int significantDigits(String text) {
    String mantissa = text.replace("-", "").split("E")[0].replace(".", "");
    mantissa = mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "");
    return Math.max(1, mantissa.length());
  }

  @Test
  void everyFiniteFloatReadsBackAsItselfInJsonGrammar() {
    Random random = new Random(11);
    for (int i = 0; i < 1_000_000; i++) {
      float value = i % 2 == 0 ? Float.intBitsToFloat(random.nextInt()) : (float) (random.nextGaussian() * 50);
      if (!Float.isFinite(value)) {
        continue;
      }
      String text = text(value);
      assertThat(JSON_NUMBER.matcher(text).matches()).as(text).isTrue();
      assertThat(Float.parseFloat(text)).as(text).isEqualTo(value);
      // shortest or one digit more than the shortest (Java 17's Float.toString is never shorter by two)
      assertThat(significantDigits(text)).as(text).isLessThanOrEqualTo(significantDigits(Float.toString(value)) + 1);
    }
  }

  @Test
  void writesTheShortFormsPeopleExpect() {
    assertThat(text(30.5f)).isEqualTo("30.5");
    assertThat(text(0.1f)).isEqualTo("0.1");
    assertThat(text(-2.75f)).isEqualTo("-2.75");
    assertThat(text(100f)).isEqualTo("100.0");
    assertThat(text(1e9f)).isEqualTo("1.0E9");
    assertThat(text(0.001f)).isEqualTo("0.001");
    assertThat(text(1.5e-7f)).isEqualTo("1.5E-7");
    assertThat(text(0f)).isEqualTo("0.0");
    assertThat(text(-0f)).isEqualTo("-0.0");
    assertThat(text(Float.MAX_VALUE)).isEqualTo(Float.toString(Float.MAX_VALUE));
    assertThat(text(Float.NaN)).isEqualTo("\"NaN\"");
    assertThat(text(Float.NEGATIVE_INFINITY)).isEqualTo("\"-Infinity\"");
  }
}

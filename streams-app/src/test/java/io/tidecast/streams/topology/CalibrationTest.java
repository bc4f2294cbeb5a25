package io.tidecast.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationTest {

  private static final Calibration.Rates SETTINGS = Calibration.Rates.of(IntervalSettings.DEFAULT);

  @Test
  void normalQuantilesAreRight() {
    assertThat(Calibration.normalQuantile(0.95)).isCloseTo(1.644854, within(1e-5));
    assertThat(Calibration.normalQuantile(0.975)).isCloseTo(1.959964, within(1e-5));
    assertThat(Calibration.normalQuantile(0.5)).isCloseTo(0, within(1e-6));
  }

  @Test
  void warmUpUsesTheNormalQuantileOfTheRmsErrorThenRollingMeans() {
    Calibration c = new Calibration(2, List.of("a"));
    assertThat(c.halfWidth(0, 0)).isNaN();
    c.observe(0, 0, 2.0, Double.NaN, SETTINGS);
    assertThat(c.halfWidth(0, 0)).isCloseTo(1.644854 * 2, within(1e-5));
    c.observe(0, 0, -4.0, 3.0, SETTINGS);
    // mean of 2 and 4; mean of 4 and 16; one interval issued, missed
    assertThat(c.mae(0, 0)).isCloseTo(3, within(1e-6));
    assertThat(c.mse(0, 0)).isCloseTo(10, within(1e-5));
    assertThat(c.coverage(0, 0)).isCloseTo(0, within(1e-6));
    assertThat(c.halfWidth(0, 0)).isCloseTo(1.644854 * Math.sqrt(10), within(1e-4));
    assertThat(c.count(0, 0)).isEqualTo(2);
    assertThat(c.count(1, 0)).isZero();
    assertThat(c.halfWidth(1, 0)).isNaN();
  }

  /** Issued intervals cover about 90% of normal, then heavy-tailed errors, and follow a change of scale. */
  @Test
  void trackedIntervalsCoverTheTargetShareWhateverTheErrors() {
    Random random = new Random(3);
    Calibration c = new Calibration(1, List.of("x"));
    int[] covered = new int[3];
    int[] seen = new int[3];
    for (int t = 0; t < 9_000; t++) {
      int phase = t / 3_000;
      double error = switch (phase) {
        case 0 -> random.nextGaussian();
        case 1 -> 5 * random.nextGaussian(); // five times wider
        default -> Math.tan(Math.PI * (random.nextDouble() - 0.5)) * 0.3; // Cauchy: no variance at all
      };
      double width = c.halfWidth(0, 0);
      if (t % 3_000 >= 500) { // after each phase's first 500 errors
        seen[phase]++;
        covered[phase] += Math.abs(error) <= width ? 1 : 0;
      }
      c.observe(0, 0, error, width, SETTINGS);
    }
    for (int phase = 0; phase < 3; phase++) {
      assertThat((double) covered[phase] / seen[phase]).as("phase %d", phase).isCloseTo(0.9, within(0.02));
    }
  }

  @Test
  void encodesAndDecodesEveryField() {
    Calibration c = new Calibration(3, List.of("HUFL", "OT"));
    Random random = new Random(5);
    for (int i = 0; i < 50; i++) {
      c.observe(i % 3, i % 2, random.nextGaussian(), i > 10 ? 1.0 : Double.NaN, SETTINGS);
    }
    Calibration back = Calibration.decode(c.encode());
    assertThat(back.names).containsExactly("HUFL", "OT");
    assertThat(back.encode()).isEqualTo(c.encode());
    assertThat(back.halfWidth(2, 1)).isEqualTo(c.halfWidth(2, 1));
  }
}

package io.tidecast.forecaster.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ErrorMetricsTest {

  private static final double[] PREDICTED = {1, 2, 3, 4};
  private static final double[] ACTUAL = {2, 2, 1, 8};

  @Test
  void matchesHandComputedValues() {
    // errors -1, 0, 2, -4
    ErrorMetrics m = ErrorMetrics.of(PREDICTED, ACTUAL);

    assertThat(m.count()).isEqualTo(4);
    assertThat(m.mae()).isCloseTo(7 / 4.0, within(1e-12));
    assertThat(m.mse()).isCloseTo(21 / 4.0, within(1e-12));
    assertThat(m.rmse()).isCloseTo(Math.sqrt(21 / 4.0), within(1e-12));
    assertThat(m.mape()).isCloseTo((0.5 + 0 + 2 + 0.5) / 4, within(1e-12));
    assertThat(m.mspe()).isCloseTo((0.25 + 0 + 4 + 0.25) / 4, within(1e-12));
    assertThat(m.smape()).isCloseTo((2 / 3.0 + 0 + 1 + 2 * 4 / 12.0) / 4, within(1e-12));
    assertThat(m.mase()).isNaN();
  }

  @Test
  void maseScalesEachChannelByItsInSampleSeasonalNaiveError() {
    double[][] insample = {{1, 0}, {3, 10}, {2, 20}, {6, 30}};
    // period 1: channel 0 |2|,|1|,|4| -> 7/3; channel 1 -> 10. Period 2: channel 0 |1|,|3| -> 2.
    assertThat(ErrorMetrics.maseScale(insample, 1)).containsExactly(new double[] {7 / 3.0, 10}, within(1e-12));
    assertThat(ErrorMetrics.maseScale(insample, 2)[0]).isCloseTo(2, within(1e-12));

    ErrorAccumulator acc = new ErrorAccumulator(ErrorMetrics.maseScale(insample, 1));
    acc.add(new double[][] {{1, 15}, {2, 20}}, new double[][] {{2, 10}, {2, 30}});

    // |e| / scale: 1/(7/3), 5/10, 0, 10/10 -> mean over the four elements
    assertThat(acc.result().mase()).isCloseTo((3 / 7.0 + 0.5 + 0 + 1) / 4, within(1e-12));
    assertThat(acc.result().mae()).isCloseTo(16 / 4.0, within(1e-12));
  }

  @Test
  void averagesOverEveryElementAcrossBatches() {
    ErrorAccumulator acc = new ErrorAccumulator(null);
    acc.add(new double[] {1, 2}, new double[] {2, 2});
    acc.add(new double[] {3, 4}, new double[] {1, 8});

    assertThat(acc.result()).isEqualTo(ErrorMetrics.of(PREDICTED, ACTUAL));
  }

  @Test
  void zeroActualsMakePercentageErrorsInfiniteAndSymmetricZeroOverZeroIsZero() {
    ErrorMetrics m = ErrorMetrics.of(new double[] {0, 1}, new double[] {0, 0});

    assertThat(m.mape()).isNaN(); // 0/0 in the first element
    assertThat(ErrorMetrics.of(new double[] {1}, new double[] {0}).mape()).isInfinite();
    assertThat(m.smape()).isCloseTo((0 + 2.0) / 2, within(1e-12));
  }

  @Test
  void refusesMismatchedLengthsAndEmptyInput() {
    assertThatThrownBy(() -> ErrorMetrics.of(new double[] {1}, new double[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ErrorAccumulator(null).result()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ErrorMetrics.maseScale(new double[][] {{1}}, 1))
        .hasMessageContaining("more than 1 rows");
  }
}

package io.tidecast.forecaster.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StandardScalerTest {

  private static final double[][] ROWS = {{1, 10, 5}, {2, 20, 5}, {3, 30, 5}, {100, -7, 9}};

  @Test
  void fitsMeanAndPopulationStdOnTheTrainingRowsOnly() {
    StandardScaler scaler = StandardScaler.fit(ROWS, 0, 3);

    // Rows 0..2 only: mean 2, 20, 5; population std sqrt(2/3), 10 sqrt(2/3), 0.
    assertThat(scaler.mean()).containsExactly(new double[] {2, 20, 5}, within(1e-12));
    assertThat(scaler.std()).containsExactly(
        new double[] {Math.sqrt(2.0 / 3), 10 * Math.sqrt(2.0 / 3), 0}, within(1e-12));
  }

  @Test
  void transformsAndInvertsPerChannel() {
    StandardScaler scaler = StandardScaler.fit(ROWS, 0, 3);

    double[][] scaled = scaler.transform(new double[][] {{3, 10, 9}});

    assertThat(scaled[0][0]).isCloseTo(1 / Math.sqrt(2.0 / 3), within(1e-12));
    assertThat(scaled[0][1]).isCloseTo(-1 / Math.sqrt(2.0 / 3), within(1e-12));
    // A constant channel is scaled by 1, not by its zero std.
    assertThat(scaled[0][2]).isEqualTo(4.0);
    assertThat(scaler.inverse(scaled)[0]).containsExactly(new double[] {3, 10, 9}, within(1e-12));
  }

  @Test
  void selectsChannels() {
    StandardScaler scaler = StandardScaler.fit(ROWS, 0, 3).select(1);

    assertThat(scaler.mean()).containsExactly(20.0);
    assertThat(scaler.transform(30, 0)).isCloseTo(1 / Math.sqrt(2.0 / 3), within(1e-12));
  }

  @Test
  void refusesAnEmptyRangeAndRowsOfTheWrongWidth() {
    assertThatThrownBy(() -> StandardScaler.fit(ROWS, 2, 2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[2, 2)");
    StandardScaler scaler = StandardScaler.fit(ROWS, 0, 4);
    assertThatThrownBy(() -> scaler.transform(new double[][] {{1, 2}}))
        .hasMessageContaining("fit on 3 channels");
  }
}

package io.tidecast.forecaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesWindowTest {

  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final Instant[] TIMES = {T0, T0.plusSeconds(3600), T0.plusSeconds(7200)};

  @Test
  void marksGapsAsNaNAndKeepsItsOwnCopies() {
    double[][] values = {{1, 2}, {0, 0}, {5, 6}};
    SeriesWindow window = new SeriesWindow("s1", List.of("a", "b"), TIMES, values,
        new boolean[] {false, true, false});
    values[0][0] = 99;

    assertThat(window.value(0, 0)).isEqualTo(1);
    assertThat(window.value(1, 1)).isNaN();
    assertThat(window.hasGaps()).isTrue();
    assertThat(window.end()).isEqualTo(TIMES[2]);
    window.values()[2][0] = 99;
    assertThat(window.value(2, 0)).isEqualTo(5);
  }

  @Test
  void refusesNonFiniteValuesOutsideGapsUnorderedTimesAndRaggedRows() {
    assertThatThrownBy(() -> SeriesWindow.complete("s1", List.of("a"), TIMES,
        new double[][] {{1}, {Double.NaN}, {3}})).hasMessageContaining("non-finite value NaN at step 1");
    assertThatThrownBy(() -> SeriesWindow.complete("s1", List.of("a"),
        new Instant[] {TIMES[1], TIMES[0]}, new double[][] {{1}, {2}}))
        .hasMessageContaining("timestamps not increasing at step 1");
    assertThatThrownBy(() -> SeriesWindow.complete("s1", List.of("a", "b"), TIMES,
        new double[][] {{1, 2}, {3}, {4, 5}})).hasMessageContaining("step 1 has 1 values for 2 channels");
  }

  @Test
  void forecastStepsMustFollowTheIssueTimeAndMatchTheChannels() {
    ModelId model = new ModelId("m", "1");
    ForecastStep late = ForecastStep.point(TIMES[1], new double[] {1});

    assertThat(new Forecast("s1", T0, model, List.of("a"), List.of(late)).horizon()).isEqualTo(1);
    assertThatThrownBy(() -> new Forecast("s1", TIMES[1], model, List.of("a"), List.of(late)))
        .hasMessageContaining("is not after");
    assertThatThrownBy(() -> new Forecast("s1", T0, model, List.of("a", "b"), List.of(late)))
        .hasMessageContaining("1 values for 2 channels");
    assertThatThrownBy(() -> new ForecastStep(TIMES[1], new double[] {1}, new double[] {0}, null))
        .hasMessageContaining("both interval bounds");
  }
}

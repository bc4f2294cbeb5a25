package io.tidecast.zoo.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.spi.ModelKinds;
import io.tidecast.forecaster.spi.ModelSettings;
import io.tidecast.zoo.eval.Backtest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaselinesTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private final ModelKinds kinds = ModelKinds.load();

  @Test
  void bothBaselinesAreRegisteredThroughTheServiceLoader() {
    assertThat(kinds.kinds()).contains("seasonal-naive", "linear-ar");
  }

  @Test
  void seasonalNaiveRepeatsTheLastSeasonInRawUnits() {
    // Channel a counts up; channel b is 10x. Period 2, input 4, horizon 3.
    TimeSeries train = series(40, t -> new double[] {t, 10.0 * t});
    Forecaster model = kinds.train("seasonal-naive", train, null,
        new ModelSettings("sn", 4, 3, List.of(), Map.of("period", "2")));

    Forecast f = model.forecast(List.of(train.window(10, 4))).get(0); // rows 10..13

    assertThat(f.issuedAt()).isEqualTo(Frequency.HOURLY.plus(START, 13));
    assertThat(f.steps().get(0).ts()).isEqualTo(Frequency.HOURLY.plus(START, 14));
    assertThat(f.steps()).extracting(s -> s.yhat(0)).containsExactly(12.0, 13.0, 12.0);
    assertThat(f.steps()).extracting(s -> s.yhat(1)).containsExactly(120.0, 130.0, 120.0);
    assertThat(f.model().name()).isEqualTo("sn");
  }

  @Test
  void seasonalNaiveForecastsAPeriodicSeriesExactly() {
    TimeSeries series = series(500, t -> new double[] {Math.sin(2 * Math.PI * t / 24) + 3});
    Forecaster model = kinds.train("seasonal-naive", series.slice(0, 300), null,
        new ModelSettings("sn", 48, 30, List.of(), Map.of()));

    Backtest.Result result = new Backtest(64).run(model, series.slice(300, 500),
        StandardScaler.fit(series.values(), 0, 300), null);

    assertThat(result.windows()).isEqualTo(200 - 48 - 30 + 1);
    assertThat(result.metrics().mse()).isLessThan(1e-20);
  }

  @Test
  void linearArLearnsASumOfSinusoidsExactly() {
    // Two sinusoids obey a linear recurrence of order 4, so least squares on 8 lags is exact up to
    // the conditioning of the normal equations.
    TimeSeries series = series(900, t -> new double[] {
        5 + Math.sin(2 * Math.PI * t / 24) + 0.5 * Math.cos(2 * Math.PI * t / 7.3),
        -2 + 3 * Math.sin(2 * Math.PI * t / 24 + 1)});
    TimeSeries train = series.slice(0, 600);
    Forecaster model = kinds.train("linear-ar", train, null,
        new ModelSettings("ar", 16, 12, List.of(), Map.of("lags", "8")));

    Backtest.Result result = new Backtest(100).run(model, series.slice(600, 900),
        StandardScaler.fit(train.values(), 0, 600), null);

    assertThat(result.metrics().mse()).isLessThan(1e-8); // series variance is about 6
    model.close();
  }

  @Test
  void linearArForecastsTheTargetOnlyInModeMsAndIndividually() {
    TimeSeries series = series(700, t -> new double[] {Math.cos(t / 3.0), Math.sin(2 * Math.PI * t / 12)});
    Forecaster model = kinds.train("linear-ar", series.slice(0, 500), null,
        new ModelSettings("ar", 24, 6, List.of("b"), Map.of("individual", "true")));

    Forecast f = model.forecast(List.of(series.window(600, 24))).get(0);

    assertThat(f.channels()).containsExactly("b");
    for (int h = 0; h < 6; h++) {
      assertThat(f.steps().get(h).yhat(0)).isCloseTo(series.values()[624 + h][1], within(1e-6));
    }
  }

  @Test
  void refusesWindowsThatDoNotFitAndImpossibleSettings() {
    TimeSeries train = series(100, t -> new double[] {t, t});
    Forecaster model = kinds.train("seasonal-naive", train, null,
        new ModelSettings("sn", 24, 4, List.of(), Map.of()));

    assertThatThrownBy(() -> model.forecast(List.of(train.window(0, 12))))
        .hasMessageContaining("has 12 steps, the model needs 24");
    assertThatThrownBy(() -> kinds.train("seasonal-naive", train, null,
        new ModelSettings("sn", 12, 4, List.of(), Map.of()))).hasMessageContaining("period <= input length");
    assertThatThrownBy(() -> kinds.train("linear-ar", train, null,
        new ModelSettings("ar", 24, 4, List.of("z"), Map.of()))).hasMessageContaining("no channel 'z'");
    assertThatThrownBy(() -> kinds.train("linear-ar", train, null,
        new ModelSettings("ar", 24, 70, List.of(), Map.of()))).hasMessageContaining("training windows");
  }

  @Test
  void choleskySolvesASmallSystem() {
    // A = [[4, 2], [2, 3]], B = A * [[1, 2], [3, -1]]
    double[][] x = Cholesky.solve(new double[] {4, 2, 2, 3}, 2, new double[] {10, 6, 11, 1}, 2);

    assertThat(x[0]).containsExactly(new double[] {1, 2}, within(1e-12));
    assertThat(x[1]).containsExactly(new double[] {3, -1}, within(1e-12));
    assertThatThrownBy(() -> Cholesky.solve(new double[] {1, 2, 2, 1}, 2, new double[] {1, 1}, 1))
        .hasMessageContaining("not positive definite");
  }

  private interface Row {
    double[] at(int t);
  }

  private static TimeSeries series(int rows, Row row) {
    Instant[] ts = new Instant[rows];
    double[][] values = new double[rows][];
    for (int t = 0; t < rows; t++) {
      ts[t] = Frequency.HOURLY.plus(START, t);
      values[t] = row.at(t);
    }
    List<String> channels = values[0].length == 1 ? List.of("a") : List.of("a", "b");
    return new TimeSeries("test", channels, Frequency.HOURLY, ts, values);
  }
}

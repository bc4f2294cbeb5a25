package io.tidecast.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.ForecastStep;
import io.tidecast.forecaster.ModelId;
import io.tidecast.streams.message.ForecastJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatestForecastTest {

  private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

  @Test
  void roundTripsAForecastWithAndWithoutIntervalsInSinglePrecision() {
    Forecast forecast = new Forecast("substation-7", T, new ModelId("linear-ar", "lags-96"), List.of("HUFL", "OT"),
        List.of(new ForecastStep(T.plusSeconds(3600), new double[] {5.83, 30.9}, new double[] {5.0, 29.8},
                new double[] {6.5, 32.0}),
            ForecastStep.point(T.plusSeconds(7200), new double[] {1.0 / 3, -2})));

    byte[] stored = LatestForecast.encode(forecast);
    Forecast back = LatestForecast.decode(stored);

    assertThat(LatestForecast.issuedAt(stored)).isEqualTo(T.toEpochMilli());
    assertThat(back.series()).isEqualTo("substation-7");
    assertThat(back.model()).isEqualTo(new ModelId("linear-ar", "lags-96"));
    assertThat(back.channels()).containsExactly("HUFL", "OT");
    assertThat(back.steps().get(0).upper()).containsExactly((float) 6.5, (float) 32.0);
    assertThat(back.steps().get(1).hasInterval()).isFalse();
    assertThat(back.steps().get(1).yhat(0)).isEqualTo((float) (1.0 / 3));
    assertThat(new String(LatestForecast.json(stored), StandardCharsets.UTF_8))
        .isEqualTo(new String(ForecastJson.write(forecast), StandardCharsets.UTF_8));
    assertThat(stored.length).isLessThan(ForecastJson.write(forecast).length);
  }

  @Test
  void keepsNamesOutsideAscii() {
    Forecast forecast = new Forecast("umspannwerk-s\u00fcd-\u6771", T, new ModelId("m\u00f6del", "v\u0000"),
        List.of("temp\u00e9rature"), List.of(ForecastStep.point(T.plusSeconds(3600), new double[] {1.5})));

    Forecast back = LatestForecast.decode(LatestForecast.encode(forecast));

    assertThat(back.series()).isEqualTo(forecast.series());
    assertThat(back.model()).isEqualTo(forecast.model());
    assertThat(back.channels()).isEqualTo(forecast.channels());
  }

  @Test
  void refusesBytesThatAreNotAStoredForecast() {
    assertThatThrownBy(() -> LatestForecast.decode(new byte[] {1, 2, 3})).isInstanceOf(IllegalArgumentException.class);
  }
}

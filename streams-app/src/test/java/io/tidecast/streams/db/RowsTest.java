package io.tidecast.streams.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidecast.forecaster.Frequency;
import io.tidecast.streams.config.SeriesCatalog;
import io.tidecast.streams.config.SeriesSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Forecast records the writer cannot store are refused one by one, before they reach a batch. */
class RowsTest {

  private static final SeriesCatalog CATALOG =
      SeriesCatalog.of(new SeriesSettings("m", List.of("OT"), Frequency.HOURLY, 1, Duration.ofHours(1), 2));

  private static String forecast(String issuedAt, String ts, String yhat) {
    return "{\"series\":\"s\",\"issuedAt\":\"" + issuedAt + "\",\"model\":{\"name\":\"m\",\"version\":\"1\"},"
        + "\"steps\":[{\"ts\":\"" + ts + "\",\"yhat\":{\"OT\":" + yhat + "},\"lower\":{\"OT\":1},\"upper\":{\"OT\":3}}]}";
  }

  private static void add(Rows rows, String json) {
    rows.addForecast(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aWellFormedForecastIsOneRowOfItsValues() {
    Rows rows = new Rows(CATALOG);
    add(rows, forecast("2026-11-28T10:00:00Z", "2026-11-28T11:00:00Z", "2.5"));
    add(rows, forecast("2026-11-28T10:00:00+01:00", "2026-11-28T11:00:00.5+01:00", "\"NaN\""));
    add(rows, forecast("2026-11-28T10:00:00Z", "2026-11-28T11:00:00Z", "2.75")); // the same key again: replaces
    assertThat(rows.forecastRows()).isEqualTo(2);
    assertThat(rows.size()).isEqualTo(2);
  }

  @Test
  void timesTheDatabaseWouldRefuseAndOtherBadForecastsAreRefusedHere() {
    Rows rows = new Rows(CATALOG);
    for (String bad : List.of(
        forecast("2026-13-28T10:00:00Z", "2026-11-28T11:00:00Z", "1"),
        forecast("2026-11-28T10:00:00Z", "2026-02-30T11:00:00Z", "1"),
        forecast("2026-11-28T10:00:00Z", "yesterday", "1"),
        forecast("2026-11-28T10:00:00Z", "2026-11-28T11:00:00", "1"),
        forecast("2026-11-28T10:00:00Z", "2026-11-28T11:00:00Z", "\"high\""),
        forecast("2026-11-28T10:00:00Z", "2026-11-28T11:00:00Z", "{}"),
        "{\"series\":\"s\",\"issuedAt\":\"2026-11-28T10:00:00Z\",\"steps\":[]}",
        "[1, 2]",
        forecast("2026-11-28T10:00:00Z", "2026-11-28T11:00:00Z", "1").replace("\"series\":\"s\"", "\"series\":\"s\\u0000\""))) {
      assertThatThrownBy(() -> add(rows, bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(rows.forecastRows()).isZero();
  }

  @Test
  void aReadingOfASeriesNamedWithNulIsLeftOut() {
    Rows rows = new Rows(CATALOG);
    rows.addReading("s\u0000x".getBytes(StandardCharsets.UTF_8),
        "{\"series\":\"s\\u0000x\",\"ts\":\"2026-11-28T10:00:00Z\",\"value\":1}".getBytes(StandardCharsets.UTF_8));
    rows.addReading("s".getBytes(StandardCharsets.UTF_8),
        "{\"series\":\"s\",\"ts\":\"2026-11-28T10:00:00Z\",\"value\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(rows.readingRows()).isEqualTo(1);
  }
}

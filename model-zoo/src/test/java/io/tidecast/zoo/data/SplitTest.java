package io.tidecast.zoo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.data.TimeSeries;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitTest {

  @Test
  void ettProtocolOnHourlyAndFifteenMinuteRows() {
    assertThat(Split.ettMonths(series(17_420, "h"))).isEqualTo(new Split(8_640, 11_520, 14_400));
    assertThat(Split.ettMonths(series(69_680, "15min"))).isEqualTo(new Split(34_560, 46_080, 57_600));
  }

  @Test
  void windowsOfLaterPartsTakeTheirHistoryFromTheEarlierPart() {
    Split split = new Split(8_640, 11_520, 14_400);
    TimeSeries series = series(17_420, "h");

    assertThat(split.validationStart(96)).isEqualTo(8_544);
    assertThat(split.testStart(96)).isEqualTo(11_424);
    assertThat(split.test(series, 96).length()).isEqualTo(2_976);
    assertThat(split.train(series).length()).isEqualTo(8_640);
  }

  @Test
  void ratioSplit() {
    assertThat(Split.ratio(1_000, 0.7, 0.2)).isEqualTo(new Split(700, 800, 1_000));
    assertThatThrownBy(() -> Split.ratio(1_000, 0.8, 0.2)).hasMessageContaining("leave room");
  }

  @Test
  void refusesASeriesTooShortForTheEttProtocol() {
    assertThatThrownBy(() -> Split.ettMonths(series(10_000, "h")))
        .hasMessageContaining("needs 14400").hasMessageContaining("ratio split");
  }

  private static TimeSeries series(int rows, String freq) {
    Frequency frequency = Frequency.parse(freq);
    Instant[] ts = new Instant[rows];
    double[][] values = new double[rows][1];
    Instant start = Instant.parse("2016-07-01T00:00:00Z");
    for (int t = 0; t < rows; t++) {
      ts[t] = frequency.plus(start, t);
      values[t][0] = t;
    }
    return new TimeSeries("s", List.of("v"), frequency, ts, values);
  }
}

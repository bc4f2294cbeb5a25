package io.tidecast.forecaster.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tidecast.forecaster.Frequency;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeFeaturesTest {

  @Test
  void hourlyFeaturesOfTheFirstEtth1Row() {
    // 2016-07-01 00:00 was a Friday (weekday 4 counting Monday as 0), day 183 of a leap year.
    double[] f = TimeFeatures.of(Frequency.parse("h")).encode(Instant.parse("2016-07-01T00:00:00Z"));

    assertThat(f).containsExactly(new double[] {
        0 / 23.0 - 0.5, 4 / 6.0 - 0.5, 0 / 30.0 - 0.5, 182 / 365.0 - 0.5}, within(1e-12));
  }

  @Test
  void hourlyFeaturesOfAnEveningAtTheEndOfAMonth() {
    // 2017-12-31 23:00: a Sunday (6), day 31 of the month, day 365 of the year.
    double[] f = TimeFeatures.of(Frequency.HOURLY).encode(Instant.parse("2017-12-31T23:00:00Z"));

    assertThat(f).containsExactly(new double[] {0.5, 0.5, 0.5, 364 / 365.0 - 0.5}, within(1e-12));
  }

  @Test
  void fifteenMinuteFeaturesStartWithMinuteOfHour() {
    TimeFeatures features = TimeFeatures.of(Frequency.parse("15min"));
    double[] f = features.encode(Instant.parse("2016-07-04T13:45:00Z")); // a Monday

    assertThat(features.size()).isEqualTo(5);
    assertThat(f).containsExactly(new double[] {
        45 / 59.0 - 0.5, 13 / 23.0 - 0.5, -0.5, 3 / 30.0 - 0.5, 185 / 365.0 - 0.5}, within(1e-12));
  }

  @Test
  void secondlyFeaturesStartWithSecondOfMinute() {
    double[] f = TimeFeatures.of(Frequency.parse("s")).encode(Instant.parse("2020-02-29T06:07:08Z"));

    assertThat(f).hasSize(6);
    assertThat(f[0]).isCloseTo(8 / 59.0 - 0.5, within(1e-12));
    assertThat(f[1]).isCloseTo(7 / 59.0 - 0.5, within(1e-12));
    assertThat(f[2]).isCloseTo(6 / 23.0 - 0.5, within(1e-12));
    assertThat(f[5]).isCloseTo(59 / 365.0 - 0.5, within(1e-12));
  }

  @Test
  void dailyWeeklyAndMonthlySets() {
    Instant ts = Instant.parse("2018-12-31T00:00:00Z"); // Monday; ISO week 1 of 2019

    assertThat(TimeFeatures.of(Frequency.parse("d")).encode(ts))
        .containsExactly(new double[] {-0.5, 0.5, 364 / 365.0 - 0.5}, within(1e-12));
    assertThat(TimeFeatures.of(Frequency.parse("w")).encode(ts))
        .containsExactly(new double[] {0.5, -0.5}, within(1e-12));
    assertThat(TimeFeatures.of(Frequency.parse("m")).encode(ts))
        .containsExactly(new double[] {0.5}, within(1e-12));
    assertThat(TimeFeatures.of(Frequency.parse("w")).encode(Instant.parse("2015-12-28T00:00:00Z")))
        .as("ISO week 53 of 2015").containsExactly(new double[] {27 / 30.0 - 0.5, 0.5}, within(1e-12));
  }

  @Test
  void encodesASequenceRowByRow() {
    Instant[] ts = {Instant.parse("2016-07-01T00:00:00Z"), Instant.parse("2016-07-01T01:00:00Z")};

    double[][] f = TimeFeatures.of(Frequency.HOURLY).encode(ts);

    assertThat(f).hasDimensions(2, 4);
    assertThat(f[1][0]).isCloseTo(1 / 23.0 - 0.5, within(1e-12));
  }
}

package io.tidecast.forecaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class FrequencyTest {

  @Test
  void parsesOffsetAliases() {
    assertThat(Frequency.parse("h")).isEqualTo(new Frequency(ChronoUnit.HOURS, 1));
    assertThat(Frequency.parse("15min")).isEqualTo(new Frequency(ChronoUnit.MINUTES, 15));
    assertThat(Frequency.parse("t").code()).isEqualTo("t");
    assertThat(Frequency.parse("2D")).isEqualTo(new Frequency(ChronoUnit.DAYS, 2));
    assertThat(Frequency.parse("m").code()).isEqualTo("m");
    assertThat(Frequency.parse("15min")).hasToString("15min");
  }

  @Test
  void refusesWhatIsNotAFrequency() {
    assertThatThrownBy(() -> Frequency.parse("fortnight")).hasMessageContaining("unknown frequency unit");
    assertThatThrownBy(() -> Frequency.parse("0h")).hasMessageContaining(">= 1");
    assertThatThrownBy(() -> Frequency.parse("1.5h")).hasMessageContaining("not a frequency");
  }

  @Test
  void stepsFixedDurationsAndCalendarMonths() {
    Instant start = Instant.parse("2016-01-31T00:00:00Z");

    assertThat(Frequency.parse("15min").plus(start, 4)).isEqualTo(Instant.parse("2016-01-31T01:00:00Z"));
    assertThat(Frequency.parse("m").plus(start, 1)).isEqualTo(Instant.parse("2016-02-29T00:00:00Z"));
    assertThat(Frequency.HOURLY.plus(start, -24)).isEqualTo(Instant.parse("2016-01-30T00:00:00Z"));
  }

  @Test
  void findsTheFrequencyOfAStep() {
    assertThat(Frequency.ofStep(Duration.ofMinutes(15))).isEqualTo(Frequency.parse("15min"));
    assertThat(Frequency.ofStep(Duration.ofHours(1))).isEqualTo(Frequency.HOURLY);
    assertThat(Frequency.ofStep(Duration.ofDays(7))).isEqualTo(Frequency.parse("w"));
    assertThat(Frequency.ofStep(Duration.ofDays(31))).isEqualTo(Frequency.parse("m"));
    assertThat(Frequency.ofStep(Duration.ofSeconds(90))).isEqualTo(Frequency.parse("90s"));
  }
}

package io.tidecast.streams.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoTimeTest {

  @Test
  void writesWhatInstantToStringWrites() {
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      Instant ts = Instant.ofEpochSecond(random.nextLong() % 400_000_000_000L);
      assertThat(IsoTime.format(ts)).isEqualTo(ts.toString());
    }
    for (Instant ts : new Instant[] {Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("1970-01-01T00:00:00Z"),
        Instant.parse("2026-11-28T10:00:00.250Z"), Instant.parse("0999-12-31T23:59:59Z"), Instant.EPOCH.minusSeconds(1)}) {
      assertThat(IsoTime.format(ts)).isEqualTo(ts.toString());
    }
  }

  @Test
  void readsWhatTheFullParserReadsAndRefusesWhatItRefuses() {
    Random random = new Random(11);
    for (int i = 0; i < 100_000; i++) {
      String text = Instant.ofEpochSecond(Math.floorMod(random.nextLong(), 250_000_000_000L)).toString();
      assertThat(IsoTime.parse(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }
    for (String text : new String[] {"2026-11-28T10:00:00+02:00", "2026-11-28T10:00:00.5Z", "2024-02-29T23:59:59Z",
        "0001-01-01T00:00:00Z"}) {
      assertThat(IsoTime.parse(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }
    for (String text : new String[] {"2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-11-28T24:00:00Z",
        "2026-11-28T10:60:00Z", "2026-11-28T10:00:60Z", "2026-11-2AT10:00:00Z", "2026-11-28 10:00:00Z",
        "2026-11-28T10:00:00", "-026-11-28T10:00:00Z", "2026-11-28T1:00:00ZZ"}) {
      assertThatThrownBy(() -> IsoTime.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
    }
  }
}

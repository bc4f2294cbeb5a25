package io.tidecast.streams.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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
}

package io.tidecast.zoo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.data.CsvFormatException;
import io.tidecast.forecaster.data.CsvSeries;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.zoo.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSeriesTest {

  @TempDir
  Path dir;

  @Test
  void readsEtth1AndItsTrainSplitStatisticsMatchThePublishedOnes() {
    TimeSeries series = CsvSeries.read(TestData.etth1());

    assertThat(series.length()).isEqualTo(17_420);
    assertThat(series.channels()).containsExactly("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT");
    assertThat(series.frequency()).isEqualTo(Frequency.HOURLY);
    assertThat(series.timestamps()[0]).isEqualTo(Instant.parse("2016-07-01T00:00:00Z"));
    assertThat(series.timestamps()[17_419]).isEqualTo(Instant.parse("2018-06-26T19:00:00Z"));

    Split split = Split.ettMonths(series);
    StandardScaler scaler = StandardScaler.fit(series.values(), 0, split.trainEnd());
    // ../shared/data/README.md: train-split mean / std per column
    assertThat(scaler.mean()).containsExactly(new double[] {
        7.937742, 2.021039, 5.079771, 0.746186, 2.781762, 0.788453, 17.128262}, within(5e-6));
    assertThat(scaler.std()).containsExactly(new double[] {
        5.812749, 2.090105, 5.518794, 1.926379, 1.023523, 0.630237, 9.176491}, within(5e-6));
  }

  @Test
  void readsOtherTimeFormatsAndANamedTimeColumn() throws IOException {
    Path file = write("load,when,temp\n1.5,2026-11-28T10:00:00+01:00,3\n2,2026-11-28T09:15:00Z,4\n"
        + "2.5,2026-11-28T09:30Z,5\n");

    TimeSeries series = CsvSeries.read(file, "when", null);

    assertThat(series.channels()).containsExactly("load", "temp");
    assertThat(series.frequency()).isEqualTo(Frequency.parse("15min"));
    assertThat(series.timestamps()[0]).isEqualTo(Instant.parse("2026-11-28T09:00:00Z"));
    assertThat(series.values()[2]).containsExactly(2.5, 5.0);
    assertThat(CsvSeries.read(write("ts,v\n1000,1\n2000,2\n")).timestamps()[1])
        .isEqualTo(Instant.ofEpochMilli(2000));
    assertThat(CsvSeries.read(write("day,v\n2026-01-01,1\n2026-01-02,2\n")).frequency())
        .isEqualTo(Frequency.parse("d"));
  }

  @Test
  void refusesMalformedFilesWithTheLineAndTheReason() throws IOException {
    assertRefused("date,a\n2016-07-01 00:00:00,1\n2016-07-01 01:00:00,x\n", 3, "column 'a': 'x' is not a number");
    assertRefused("date,a\n2016-07-01 00:00:00,1\n2016-07-01 01:00:00\n", 3, "has 1 cells, the header has 2");
    assertRefused("date,a\n2016-07-01 00:00:00,1\nyesterday,2\n", 3, "'yesterday' is not a time stamp");
    assertRefused("date,a\n2016-07-01 01:00:00,1\n2016-07-01 00:00:00,2\n", 3, "increasing time order");
    assertRefused("date,a\n2016-07-01 00:00:00,\n2016-07-01 01:00:00,2\n", 2, "column 'a' is empty");
    assertRefused("date,a\n2016-07-01 00:00:00,NaN\n2016-07-01 01:00:00,2\n", 2, "is not finite");
    assertRefused("date,a,a\n", 1, "repeated name 'a'");
    assertRefused("", 1, "no header line");
    assertThatThrownBy(() -> CsvSeries.read(write("date,a\n2016-07-01 00:00:00,1\n2016-07-01 01:00:00,2\n"),
        "time", null)).hasMessageContaining("no time column 'time'");
  }

  @Test
  void selectsChannelsForModeS() {
    TimeSeries series = CsvSeries.read(TestData.etth1());

    TimeSeries ot = Mode.S.inputs(series, "OT");

    assertThat(ot.channels()).isEqualTo(List.of("OT"));
    assertThat(ot.values()[0][0]).isEqualTo(series.values()[0][6]);
    assertThat(Mode.MS.targets("OT")).containsExactly("OT");
    assertThat(Mode.M.targets("OT")).isEmpty();
    assertThatThrownBy(() -> Mode.S.inputs(series, "oil")).hasMessageContaining("no channel 'oil'");
  }

  private void assertRefused(String content, long line, String reason) throws IOException {
    Path file = write(content);
    assertThatThrownBy(() -> CsvSeries.read(file))
        .isInstanceOfSatisfying(CsvFormatException.class, e -> {
          assertThat(e.line()).isEqualTo(line);
          assertThat(e.getMessage()).contains("line " + line).contains(reason);
        });
  }

  private Path write(String content) throws IOException {
    Path file = Files.createTempFile(dir, "series", ".csv");
    Files.writeString(file, content);
    return file;
  }
}

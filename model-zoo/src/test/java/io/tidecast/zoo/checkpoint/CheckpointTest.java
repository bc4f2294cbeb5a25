package io.tidecast.zoo.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.zoo.informer.InformerCheckpoint;
import io.tidecast.zoo.informer.InformerForecaster;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  @TempDir
  Path temp;

  @Test
  void aLoadedCheckpointForecastsBitForBitAsTheSavedModel() {
    TimeSeries series = CheckpointFixture.series();
    InformerForecaster model = CheckpointFixture.model(5);
    List<Forecast> before = model.forecast(CheckpointFixture.windows(series));
    Path dir = temp.resolve("registry/fixture/1");
    Manifest written = InformerCheckpoint.save(dir, model,
        Checkpoints.fingerprint("fixture", series.slice(0, 150)), Map.of("seed", 5),
        Map.of("test.mse", 0.5));

    try (Forecaster loaded = Checkpoints.open(dir)) {
      assertThat(loaded.id()).isEqualTo(model.id());
      assertThat(loaded.spec()).isEqualTo(model.spec());
      assertThat(CheckpointFixture.text(loaded.forecast(CheckpointFixture.windows(series))))
          .isEqualTo(CheckpointFixture.text(before));
    }
    Manifest read = Checkpoints.manifest(dir);
    assertThat(read.files()).containsOnlyKeys(Checkpoints.WEIGHTS);
    assertThat(read.files()).isEqualTo(written.files());
    assertThat(read.scaler().mean()).containsExactly(model.scaler().mean());
    assertThat(read.data().rows()).isEqualTo(150);
    assertThat(read.data().sha256()).hasSize(64);
    assertThat(read.metrics()).containsEntry("test.mse", 0.5);
    assertThat(read.config()).containsEntry("dModel", 16).containsEntry("seed", 5);
  }

  @Test
  void theStoredFormatOneCheckpointStillLoadsAndForecastsAsRecorded() throws Exception {
    Path dir = resource(CheckpointFixture.RESOURCE);
    String expected = Files.readString(resource(CheckpointFixture.RESOURCE + ".expected.txt"));
    try (Forecaster loaded = Checkpoints.open(dir)) {
      double[] actual = numbers(CheckpointFixture.text(loaded.forecast(
          CheckpointFixture.windows(CheckpointFixture.series()))));
      double[] recorded = numbers(expected);
      assertThat(actual).hasSize(6 * 6 * 2);
      // another CPU may pick other BLAS kernels: equal up to float rounding, not bit for bit
      assertThat(actual).containsExactly(recorded, within(1e-4));
    }
  }

  @Test
  void aCheckpointWithAlteredWeightsIsRefusedWithTheReason() throws IOException {
    Path dir = saved("altered");
    Path weights = dir.resolve(Checkpoints.WEIGHTS);
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length / 2] ^= 1; // one bit of one weight
    Files.write(weights, bytes);

    assertThatThrownBy(() -> Checkpoints.open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("refused")
        .hasMessageContaining("weights.bin has SHA-256")
        .hasMessageContaining("altered or damaged");
  }

  @Test
  void missingFilesUnknownFormatsAndUnknownKindsAreRefused() throws IOException {
    Path missing = saved("missing");
    Files.delete(missing.resolve(Checkpoints.WEIGHTS));
    assertThatThrownBy(() -> Checkpoints.open(missing)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("weights.bin is missing");

    Path future = saved("future");
    rewriteManifest(future, "\"format\" : 1", "\"format\" : 7");
    assertThatThrownBy(() -> Checkpoints.open(future)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("format 7");

    Path stranger = saved("stranger");
    rewriteManifest(stranger, "\"kind\" : \"informer\"", "\"kind\" : \"prophet\"");
    assertThatThrownBy(() -> Checkpoints.open(stranger)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("kind 'prophet'");

    Files.createDirectories(temp.resolve("empty"));
    assertThatThrownBy(() -> Checkpoints.open(temp.resolve("empty")))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("no manifest.json");

    assertThatThrownBy(() -> Checkpoints.save(stranger, Checkpoints.manifest(stranger), Map.of()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("will not overwrite");
  }

  @Test
  void weightsThatDoNotFitTheConfigAreRefused() throws IOException {
    Path dir = saved("resized");
    rewriteManifest(dir, "\"dModel\" : 16", "\"dModel\" : 32");
    assertThatThrownBy(() -> Checkpoints.open(dir)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("does not hold a usable Informer")
        .hasMessageContaining("has shape");
  }

  private Path saved(String name) {
    Path dir = temp.resolve(name);
    InformerCheckpoint.save(dir, CheckpointFixture.model(3),
        Checkpoints.fingerprint("fixture", CheckpointFixture.series()), Map.of(), Map.of());
    return dir;
  }

  private static void rewriteManifest(Path dir, String from, String to) throws IOException {
    Path manifest = dir.resolve(Checkpoints.MANIFEST);
    String text = Files.readString(manifest);
    assertThat(text).contains(from);
    Files.writeString(manifest, text.replace(from, to));
  }

  private static double[] numbers(String text) {
    return java.util.Arrays.stream(text.trim().split("\\s+")).mapToDouble(Double::parseDouble)
        .toArray();
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(CheckpointTest.class.getClassLoader().getResource(name).toURI());
  }
}

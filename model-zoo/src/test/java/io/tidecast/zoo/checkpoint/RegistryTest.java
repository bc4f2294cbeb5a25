package io.tidecast.zoo.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidecast.zoo.informer.InformerCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTest {

  @TempDir
  Path root;

  @Test
  void versionsCountUpPerNameAndUnreadableEntriesSayWhy() throws IOException {
    Registry registry = new Registry(root);
    assertThat(registry.entries()).isEmpty();
    assertThat(registry.nextVersion("etth1")).isEqualTo(root.resolve("etth1/1"));

    for (int i = 0; i < 2; i++) {
      InformerCheckpoint.save(registry.nextVersion("etth1"), CheckpointFixture.model(i),
          Checkpoints.fingerprint("fixture", CheckpointFixture.series()), Map.of(),
          Map.of("test.mse", 0.1 * (i + 1)));
    }
    Files.createDirectories(root.resolve("broken/1"));

    assertThat(registry.nextVersion("etth1")).isEqualTo(root.resolve("etth1/3"));
    assertThat(registry.entries()).extracting(e -> e.name() + ":" + e.version())
        .containsExactly("broken:1", "etth1:1", "etth1:2");
    assertThat(registry.entries().get(0).problem()).contains("no manifest.json");
    assertThat(registry.entries().get(2).manifest().metrics()).containsEntry("test.mse", 0.2);
    assertThatThrownBy(() -> registry.nextVersion("../escape"))
        .hasMessageContaining("not a usable model name");
  }
}

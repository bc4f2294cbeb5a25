package io.tidecast.zoo;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared data for tests lives: {@code ../shared/data} beside the project. */
public final class TestData {

  private TestData() {}

  /**
   * The ETTh1 file.
   *
   * @throws IllegalStateException if it is not there, saying where it was looked for
   */
  public static Path etth1() {
    Path dir = Path.of(System.getProperty("tidecast.data.dir", "../../shared/data"));
    Path file = dir.resolve("ETTh1.csv").toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("ETTh1.csv not found at " + file
          + "; the shared data folder must sit beside the project (../shared/data)");
    }
    return file;
  }
}

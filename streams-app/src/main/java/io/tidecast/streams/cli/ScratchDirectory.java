package io.tidecast.streams.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A temporary directory for a benchmark's broker and state, deleted with everything in it on close. */
final class ScratchDirectory implements AutoCloseable {

  private final Path path;

  ScratchDirectory(String prefix) throws IOException {
    this.path = Files.createTempDirectory(prefix);
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(path)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }
}

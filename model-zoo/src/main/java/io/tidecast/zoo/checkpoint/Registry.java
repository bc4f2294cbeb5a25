package io.tidecast.zoo.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder of checkpoints by name and version: {@code root/name/version/}. Versions are whole
 * numbers counting up from 1.
 */
public final class Registry {

  /** One checkpoint in the registry, or the reason it cannot be read. */
  public record Entry(String name, String version, Path directory, Manifest manifest,
      String problem) {}

  private final Path root;

  public Registry(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** The directory the next version of {@code name} goes to. */
  public Path nextVersion(String name) {
    if (name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
      throw new IllegalArgumentException("not a usable model name: '" + name + "'");
    }
    int next = entries().stream().filter(e -> e.name().equals(name))
        .mapToInt(e -> number(e.version())).max().orElse(0) + 1;
    return root.resolve(name).resolve(Integer.toString(next));
  }

  /** Every checkpoint, by name then version; unreadable ones carry their problem. */
  public List<Entry> entries() {
    List<Entry> entries = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return entries;
    }
    for (Path model : children(root)) {
      for (Path version : children(model)) {
        String name = model.getFileName().toString();
        String v = version.getFileName().toString();
        try {
          entries.add(new Entry(name, v, version, Checkpoints.manifest(version), null));
        } catch (CheckpointException e) {
          entries.add(new Entry(name, v, version, null, e.getMessage()));
        }
      }
    }
    entries.sort(Comparator.comparing(Entry::name).thenComparingInt(e -> number(e.version())));
    return entries;
  }

  private static List<Path> children(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static int number(String version) {
    try {
      return Integer.parseInt(version);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}

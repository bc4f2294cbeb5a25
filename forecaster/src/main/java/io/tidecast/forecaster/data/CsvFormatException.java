package io.tidecast.forecaster.data;

import java.nio.file.Path;

/** A CSV file that cannot be read as a series, with the file, the line and the reason. */
public final class CsvFormatException extends RuntimeException {

  private final Path file;
  private final long line;

  public CsvFormatException(Path file, long line, String reason) {
    super(file + (line > 0 ? " line " + line : "") + ": " + reason);
    this.file = file;
    this.line = line;
  }

  public Path file() {
    return file;
  }

  /** The 1-based line number, or 0 for a problem with the file as a whole. */
  public long line() {
    return line;
  }
}

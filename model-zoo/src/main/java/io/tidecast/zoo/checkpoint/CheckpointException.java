package io.tidecast.zoo.checkpoint;

/** A checkpoint that cannot be used: missing, damaged, altered, or of an unknown format or kind. */
public final class CheckpointException extends RuntimeException {

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}

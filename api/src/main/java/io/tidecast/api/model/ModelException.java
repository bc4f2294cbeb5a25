package io.tidecast.api.model;

/** Why the registry refused a request, with a sentence for the caller. */
public final class ModelException extends RuntimeException {

  /** What went wrong, in the terms of a request. */
  public enum Reason { NOT_FOUND, REFUSED, CONFLICT }

  private final Reason reason;

  public ModelException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ModelException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

package io.tidecast.api.system;

import org.springframework.http.HttpStatus;

/** A request the API answers with a problem response: the status, a short title and a sentence. */
public final class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String title;

  public ApiException(HttpStatus status, String title, String detail) {
    super(detail);
    this.status = status;
    this.title = title;
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }
}

package io.tidecast.api.system;

import io.tidecast.api.model.ModelException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as {@code application/problem+json} (RFC 9457): Spring's own (malformed body, wrong
 * content type, unknown path, ...) through {@link ResponseEntityExceptionHandler}, and the API's.
 */
@RestControllerAdvice
class Problems extends ResponseEntityExceptionHandler {

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e) {
    return problem(e.status(), e.title(), e.getMessage());
  }

  @ExceptionHandler(ModelException.class)
  ResponseEntity<ProblemDetail> model(ModelException e) {
    return switch (e.reason()) {
      case NOT_FOUND -> problem(HttpStatus.NOT_FOUND, "No such model", e.getMessage());
      case REFUSED -> problem(HttpStatus.UNPROCESSABLE_CONTENT, "Model refused", e.getMessage());
      case CONFLICT -> problem(HttpStatus.CONFLICT, "Model in use", e.getMessage());
    };
  }

  static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    problem.setType(URI.create("about:blank"));
    return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}

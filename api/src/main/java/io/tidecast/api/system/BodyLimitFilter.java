package io.tidecast.api.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request whose declared body is larger than {@link ApiProperties#maxBodyBytes()} with
 * 413, before anything reads it. A body without a declared length is cut off at the limit by the
 * JSON reader's failure (400).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class BodyLimitFilter extends OncePerRequestFilter {

  private final long limit;

  BodyLimitFilter(Environment environment) {
    this.limit = ApiProperties.of(environment).maxBodyBytes();
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long length = request.getContentLengthLong();
    if (length > limit) {
      ProblemWriter.write(response, HttpStatus.CONTENT_TOO_LARGE, "Body too large",
          "the request body has " + length + " bytes; the limit is " + limit, request.getRequestURI());
      return;
    }
    chain.doFilter(length >= 0 ? request : new LimitedRequest(request, limit), response);
  }
}

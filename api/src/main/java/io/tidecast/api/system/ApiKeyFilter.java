package io.tidecast.api.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Mutating calls under {@code /api/} (and reads, if {@link ApiProperties#protectReads()}) need the
 * API key: without one they get 401, with a wrong one 403. {@code POST /api/v1/forecast} computes
 * and changes nothing, so it counts as a read.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ApiKeyFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(ApiKeyFilter.class);
  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

  private final byte[] key;
  private final boolean protectReads;

  ApiKeyFilter(Environment environment) {
    ApiProperties properties = ApiProperties.of(environment);
    this.protectReads = properties.protectReads();
    String configured = properties.key();
    if (configured != null && !configured.isBlank()) {
      key = configured.trim().getBytes(StandardCharsets.UTF_8);
    } else if (isBlank(environment.getProperty("tidecast.bootstrap-servers"))) {
      key = generated(Path.of(environment.getProperty("tidecast.data-dir", "data")));
    } else {
      log.warn("no tidecast.api.key is configured: every mutating call is refused");
      key = null;
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** A random key for the single-machine default, kept in the data folder so that restarts keep it. */
  private static byte[] generated(Path dataDir) {
    Path file = dataDir.resolve("api-key");
    try {
      if (!Files.exists(file)) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        Files.createDirectories(dataDir);
        Files.writeString(file, HexFormat.of().formatHex(random) + "\n");
      }
      log.info("mutating API calls need the key in {}", file.toAbsolutePath());
      return Files.readString(file).trim().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot keep the API key in " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (!path.startsWith("/api/")) {
      return true;
    }
    boolean read = READS.contains(request.getMethod())
        || ("POST".equals(request.getMethod()) && path.equals("/api/v1/forecast"));
    return read && !protectReads;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String given = request.getHeader("X-API-Key");
    String authorization = request.getHeader("Authorization");
    if (given == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = authorization.substring(7).trim();
    }
    if (given == null || given.isBlank()) {
      response.setHeader("WWW-Authenticate", "Bearer");
      ProblemWriter.write(response, HttpStatus.UNAUTHORIZED, "Authentication required",
          request.getMethod() + " " + request.getRequestURI() + " needs the API key in X-API-Key or "
              + "Authorization: Bearer", request.getRequestURI());
      return;
    }
    if (key == null || !MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8))) {
      ProblemWriter.write(response, HttpStatus.FORBIDDEN, "Wrong API key",
          key == null ? "no API key is configured on this instance (tidecast.api.key); mutating calls are refused"
              : "the API key given is not the one configured", request.getRequestURI());
      return;
    }
    chain.doFilter(request, response);
  }
}

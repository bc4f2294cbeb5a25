package io.tidecast.api.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.Environment;

/**
 * Access to the API.
 *
 * @param key the key mutating calls must carry ({@code X-API-Key: <key>} or {@code Authorization:
 *     Bearer <key>}). Unset: on the single-machine default (embedded broker) a random key is made at
 *     start and written to {@code <data-dir>/api-key}; joined to a cluster, every mutating call is
 *     refused until a key is configured
 * @param protectReads whether reads need the key too
 * @param maxBodyBytes the largest request body accepted
 */
@ConfigurationProperties("tidecast.api")
public record ApiProperties(String key, @DefaultValue("false") boolean protectReads,
    @DefaultValue("1048576") long maxBodyBytes) {

  /** The properties as the environment sets them (web filters read them before any bean). */
  static ApiProperties of(Environment environment) {
    return Binder.get(environment).bindOrCreate("tidecast.api", ApiProperties.class);
  }
}

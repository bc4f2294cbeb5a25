package io.tidecast.api;

import io.tidecast.api.service.TidecastService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A full-application test: the service on the embedded broker with the settings of
 * {@link ServiceTestSupport#properties}, called over real HTTP on a random port. Tests that do not
 * store set {@code tidecast.database.enabled=false}, so that they leave the local server alone.
 */
public abstract class RunningService {

  @DynamicPropertySource
  static void serviceProperties(DynamicPropertyRegistry registry) {
    ServiceTestSupport.properties(registry);
  }

  @LocalServerPort
  protected int port;

  @Autowired
  protected TidecastService service;

  protected String url(String path) {
    return "http://localhost:" + port + path;
  }
}

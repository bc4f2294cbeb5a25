package io.tidecast.api;

import io.tidecast.forecaster.spi.ModelKinds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** The Tidecast service. */
@SpringBootApplication
public class TidecastApplication {

  private static final Logger log = LoggerFactory.getLogger(TidecastApplication.class);

  public static void main(String[] args) {
    SpringApplication.run(TidecastApplication.class, args);
  }

  /** The model kinds found on the class path; models are never named here. */
  @Bean
  ModelKinds modelKinds() {
    return ModelKinds.load(TidecastApplication.class.getClassLoader());
  }

  @Bean
  ApplicationRunner reportModelKinds(ModelKinds kinds) {
    return args -> log.info("model kinds available: {}", kinds.kinds());
  }
}

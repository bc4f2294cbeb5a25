package io.tidecast.api;

import io.tidecast.forecaster.spi.ModelKinds;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** The Tidecast service: the streams, the models, the REST API and the web page in one process. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TidecastApplication {

  public static void main(String[] args) {
    SpringApplication.run(TidecastApplication.class, args);
  }

  /** The model kinds found on the class path; models are never named here. */
  @Bean
  ModelKinds modelKinds() {
    return ModelKinds.load(TidecastApplication.class.getClassLoader());
  }
}

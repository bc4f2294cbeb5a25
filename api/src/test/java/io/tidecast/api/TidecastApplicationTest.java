package io.tidecast.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.forecaster.spi.ModelKinds;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest
class TidecastApplicationTest {

  @Autowired
  ModelKinds kinds;

  @Test
  void findsTheKindsOfEveryModelModuleThroughTheServiceLoader() {
    assertThat(kinds.kinds()).contains("seasonal-naive", "linear-ar", "informer", "lmuformer",
        "spiking-lmuformer");
  }
}

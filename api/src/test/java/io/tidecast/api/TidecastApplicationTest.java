package io.tidecast.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.forecaster.spi.ModelKinds;
import io.tidecast.forecaster.spi.ModelStore;
import org.junit.jupiter.api.Test;

/** What the application finds on its class path at run time. */
class TidecastApplicationTest {

  @Test
  void findsTheKindsOfEveryModelModuleThroughTheServiceLoader() {
    assertThat(ModelKinds.load(TidecastApplication.class.getClassLoader()).kinds())
        .contains("seasonal-naive", "linear-ar", "informer", "lmuformer", "spiking-lmuformer");
  }

  @Test
  void findsTheStoreOfSavedModels() {
    assertThat(ModelStore.load(TidecastApplication.class.getClassLoader())).isPresent();
  }
}

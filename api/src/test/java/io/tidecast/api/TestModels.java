package io.tidecast.api;

import io.tidecast.api.model.ModelActivator;
import io.tidecast.api.model.ModelRegistry;
import io.tidecast.api.model.ModelTrainer;
import io.tidecast.forecaster.spi.ModelStore;
import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.service.FleetModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Real models for web tests: {@code linear-ar} and {@code fixture}, both the linear baseline trained
 * on the simulated fleet's history, in a registry whose models folder holds a copy of the zoo's
 * small Informer checkpoint ({@code fixture/1}: loads, but reads other channels) and a damaged copy
 * ({@code fixture/2}).
 */
public final class TestModels {

  /** The registry, trainer and activator beans of the web tests. */
  @TestConfiguration
  public static class Beans {
    @Bean
    ModelRegistry registry() {
      return TestModels.registry();
    }

    @Bean
    ModelTrainer trainer(ModelRegistry registry) {
      return TestModels.trainer(registry);
    }

    @Bean
    ModelActivator activator(ModelRegistry registry) {
      return registry::activate;
    }
  }

  public static final ServiceConfig CONFIG = ServiceConfig.from(new Properties());
  private static final Path FIXTURE = Path.of("../model-zoo/src/test/resources/checkpoints/informer-tiny-format1");

  private TestModels() {}

  public static ModelRegistry registry() {
    Path root = Path.of("target", "test-models", UUID.randomUUID().toString());
    copy(FIXTURE, root.resolve("fixture").resolve("1"));
    Path damaged = root.resolve("fixture").resolve("2");
    copy(FIXTURE, damaged);
    try {
      byte[] weights = Files.readAllBytes(damaged.resolve("weights.bin"));
      weights[weights.length - 1] ^= 1;
      Files.write(damaged.resolve("weights.bin"), weights);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ModelRegistry registry = new ModelRegistry(root, ModelStore.load(TestModels.class.getClassLoader()).orElseThrow());
    registry.add(FleetModels.train(CONFIG, "linear-ar", "linear-ar", Map.of()), "linear-ar", Map.of("kind", "linear-ar"));
    registry.add(FleetModels.train(CONFIG, "fixture", "linear-ar", Map.of()), "linear-ar", Map.of("kind", "linear-ar"));
    return registry;
  }

  public static ModelTrainer trainer(ModelRegistry registry) {
    return (name, kind, options) -> {
      registry.versions(name);
      return registry.add(FleetModels.train(CONFIG, name, kind, options), kind, Map.of("kind", kind));
    };
  }

  private static void copy(Path from, Path to) {
    try (Stream<Path> files = Files.list(from)) {
      Files.createDirectories(to);
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.tidecast.api.model;

import io.swagger.v3.oas.annotations.Operation;
import io.tidecast.api.system.ApiException;
import io.tidecast.forecaster.spi.ModelStore;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The model registry: names, their versions, which one serves, and new versions. */
@RestController
@RequestMapping(path = "/api/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
class ModelController {

  /** A model name with its active version and every version known. */
  record ModelView(String name, ModelVersion active, List<ModelVersion> versions) {}

  /** A model name with its active version, for the listing. */
  record ModelSummary(String name, String activeVersion, String kind, int versions) {}

  /** The body of {@code PUT /api/v1/models/{name}}. */
  record Activation(String version) {}

  /** The body of {@code POST /api/v1/models/{name}/versions}. */
  record Training(String kind, Map<String, String> options) {}

  private final ModelRegistry registry;
  private final ModelTrainer trainer;
  private final ModelActivator activator;

  ModelController(ModelRegistry registry, ModelTrainer trainer, ModelActivator activator) {
    this.registry = registry;
    this.trainer = trainer;
    this.activator = activator;
  }

  @Operation(summary = "Every model name with its active version")
  @GetMapping
  List<ModelSummary> list() {
    return registry.names().stream().map(name -> {
      ModelVersion active = registry.active(name);
      return new ModelSummary(name, active.version(), active.kind(), registry.versions(name).size());
    }).toList();
  }

  @Operation(summary = "A model name: its active version and every version, with metrics and provenance")
  @GetMapping("/{name}")
  ModelView get(@PathVariable String name) {
    checkName(name, "model name");
    return new ModelView(name, registry.active(name), registry.versions(name));
  }

  @Operation(summary = "Activate a version on every instance (hot swap, no restart); needs the API key")
  @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
  ModelVersion activate(@PathVariable String name, @RequestBody Activation activation) {
    checkName(name, "model name");
    if (activation.version() == null) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "Missing version", "the body needs {\"version\": \"...\"}");
    }
    checkName(activation.version(), "version");
    return activator.activate(name, activation.version());
  }

  @Operation(summary = "Train a new version on the simulated fleet's history (not activated); needs the API key")
  @PostMapping(path = "/{name}/versions", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<ModelVersion> train(@PathVariable String name, @RequestBody Training training) {
    checkName(name, "model name");
    if (training.kind() == null || training.kind().isBlank()) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "Missing kind", "the body needs {\"kind\": \"...\"}");
    }
    ModelVersion version;
    try {
      version = trainer.train(name, training.kind(), training.options() == null ? Map.of() : training.options());
    } catch (IllegalArgumentException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "Cannot train", e.getMessage());
    }
    return ResponseEntity.created(URI.create("/api/v1/models/" + name + "/versions/" + version.version()))
        .body(version);
  }

  @Operation(summary = "One version of a model")
  @GetMapping("/{name}/versions/{version}")
  ModelVersion version(@PathVariable String name, @PathVariable String version) {
    checkName(name, "model name");
    checkName(version, "version");
    return registry.version(name, version);
  }

  @Operation(summary = "Delete a version that is not active; needs the API key")
  @DeleteMapping("/{name}/versions/{version}")
  ResponseEntity<Void> delete(@PathVariable String name, @PathVariable String version) {
    checkName(name, "model name");
    checkName(version, "version");
    registry.delete(name, version);
    return ResponseEntity.noContent().build();
  }

  private static void checkName(String text, String what) {
    if (!ModelStore.usableName(text)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid " + what, "a " + what
          + " is 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit, without '..'");
    }
  }
}

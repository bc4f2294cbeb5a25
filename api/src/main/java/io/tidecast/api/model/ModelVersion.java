package io.tidecast.api.model;

import java.time.Instant;
import java.util.Map;

/**
 * One version of a model name, as the registry lists it.
 *
 * @param name the model name series are bound to
 * @param version the version
 * @param kind the model kind that made it, such as {@code lmuformer}
 * @param source {@code trained} (trained by this service, held in memory) or {@code saved} (a
 *     checkpoint in the models folder)
 * @param active whether it serves the name now
 * @param since when it was trained or found
 * @param details the manifest of a saved model, or the settings of a trained one
 * @param problem why a saved model cannot be read, or null
 */
public record ModelVersion(String name, String version, String kind, String source, boolean active,
    Instant since, Map<String, Object> details, String problem) {}

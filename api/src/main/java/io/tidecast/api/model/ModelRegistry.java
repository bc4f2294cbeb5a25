package io.tidecast.api.model;

import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.spi.ModelStore;
import io.tidecast.streams.topology.ModelRouter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The models the service serves, by name: for each name the versions it knows (trained by this
 * service and held in memory, or saved as checkpoints in the models folder) and the one active now.
 *
 * <p>The topology asks {@link #forModel} once per batch, so activating a version (hot swap) takes
 * effect at the next batch; a batch under way finishes on the model it started with. A version is
 * activated only once it has loaded and fits the series of its name (same input length, channels
 * and frequency); otherwise it is refused and the active one keeps serving.
 */
public final class ModelRegistry implements ModelRouter {

  private record Loaded(Forecaster model, String kind, String source, Instant since, Map<String, Object> details) {}

  private static final class Slot {
    volatile Loaded active;
    final Map<String, Loaded> loaded = new ConcurrentHashMap<>();
  }

  private final Path root;
  private final ModelStore store;
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();

  /**
   * @param root the models folder
   * @param store reads saved models, or null if no module that writes them is on the class path
   */
  public ModelRegistry(Path root, ModelStore store) {
    this.root = root;
    this.store = store;
  }

  @Override
  public Forecaster forModel(String name) {
    Slot slot = slots.get(name);
    if (slot == null || slot.active == null) {
      throw new IllegalArgumentException("no model named " + name + "; models: " + names());
    }
    return slot.active.model();
  }

  /** The names series are bound to, sorted. */
  public Set<String> names() {
    return new java.util.TreeSet<>(slots.keySet());
  }

  /**
   * Adds a model trained by this service under its own name and version; the first one of a name
   * becomes active.
   *
   * @param details how it was trained, for listings
   */
  public ModelVersion add(Forecaster model, String kind, Map<String, Object> details) {
    ModelId id = model.id();
    Slot slot = slots.computeIfAbsent(id.name(), n -> new Slot());
    synchronized (slot) {
      Loaded loaded = slot.loaded.computeIfAbsent(id.version(),
          v -> new Loaded(model, kind, "trained", Instant.now(), details));
      if (slot.active == null) {
        slot.active = loaded;
      }
    }
    return version(id.name(), id.version());
  }

  /**
   * Makes {@code version} serve {@code name}, loading it from the models folder if needed.
   *
   * @return the version now active
   * @throws ModelException NOT_FOUND for an unknown name or version; REFUSED if it cannot be loaded
   *     or does not fit the name's series (the active version keeps serving)
   */
  public ModelVersion activate(String name, String version) {
    Slot slot = slot(name);
    synchronized (slot) {
      Loaded candidate = slot.loaded.get(version);
      if (candidate == null) {
        candidate = load(name, version);
      }
      ForecasterSpec now = slot.active.model().spec();
      ForecasterSpec next = candidate.model().spec();
      if (now.inputLength() != next.inputLength() || !now.inputChannels().equals(next.inputChannels())
          || !now.frequency().equals(next.frequency())) {
        throw new ModelException(ModelException.Reason.REFUSED, name + " version " + version + " reads "
            + next.inputLength() + " steps of " + next.inputChannels() + " at " + next.frequency().code()
            + ", but the series of " + name + " give " + now.inputLength() + " steps of "
            + now.inputChannels() + " at " + now.frequency().code() + "; " + slot.active.model().id().version()
            + " keeps serving");
      }
      slot.loaded.putIfAbsent(version, candidate);
      slot.active = slot.loaded.get(version);
    }
    return version(name, version);
  }

  private Loaded load(String name, String version) {
    if (store == null) {
      throw new ModelException(ModelException.Reason.NOT_FOUND, "no version " + version + " of " + name
          + " (no module that reads saved models is on the class path)");
    }
    Map<String, Object> details = store.list(root).stream()
        .filter(s -> s.name().equals(name) && s.version().equals(version)).findFirst()
        .map(ModelStore.Stored::details)
        .orElseThrow(() -> new ModelException(ModelException.Reason.NOT_FOUND,
            "no version " + version + " of " + name + "; versions: " + versions(name).stream()
                .map(ModelVersion::version).toList()));
    Forecaster model;
    try {
      model = store.open(root, name, version);
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      throw new ModelException(ModelException.Reason.REFUSED, name + " version " + version
          + " cannot be loaded: " + e.getMessage(), e);
    }
    ModelId id = model.id();
    if (!id.equals(new ModelId(name, version))) {
      model.close();
      throw new ModelException(ModelException.Reason.REFUSED, "the checkpoint in " + name + "/" + version
          + " says it is " + id + "; its forecasts would name another model");
    }
    return new Loaded(model, String.valueOf(details.get("kind")), "saved", Instant.now(), details);
  }

  /** The active version of a name. */
  public ModelVersion active(String name) {
    Slot slot = slot(name);
    return version(name, slot.active.model().id().version());
  }

  /**
   * Every version of a name: those loaded or trained, and those saved in the models folder.
   *
   * @throws ModelException NOT_FOUND if no series is served by that name
   */
  public List<ModelVersion> versions(String name) {
    Slot slot = slot(name);
    Map<String, ModelVersion> all = new TreeMap<>();
    if (store != null) {
      for (ModelStore.Stored s : store.list(root)) {
        if (s.name().equals(name)) {
          all.put(s.version(), new ModelVersion(name, s.version(), s.kind(), "saved", false, null, s.details(),
              s.problem()));
        }
      }
    }
    Loaded active = slot.active;
    slot.loaded.forEach((version, l) -> all.put(version, new ModelVersion(name, version, l.kind(), l.source(),
        l == active, l.since(), l.details(), null)));
    List<ModelVersion> list = new ArrayList<>(all.values());
    list.sort(Comparator.comparing((ModelVersion v) -> v.since() == null ? Instant.MIN : v.since())
        .thenComparing(ModelVersion::version));
    return list;
  }

  /** One version. */
  public ModelVersion version(String name, String version) {
    return versions(name).stream().filter(v -> v.version().equals(version)).findFirst()
        .orElseThrow(() -> new ModelException(ModelException.Reason.NOT_FOUND, "no version " + version + " of " + name));
  }

  /**
   * Forgets a version that is not active; a saved one's checkpoint folder is deleted.
   *
   * @throws ModelException NOT_FOUND, or CONFLICT for the active version
   */
  public void delete(String name, String version) {
    Slot slot = slot(name);
    synchronized (slot) {
      ModelVersion existing = version(name, version);
      if (existing.active()) {
        throw new ModelException(ModelException.Reason.CONFLICT, name + " version " + version
            + " is active; activate another version first");
      }
      slot.loaded.remove(version);
      if (existing.source().equals("saved")) {
        deleteFolder(name, version);
      }
    }
  }

  private void deleteFolder(String name, String version) {
    Path folder = root.resolve(name).resolve(version).normalize();
    if (!folder.startsWith(root.normalize()) || !Files.isDirectory(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + folder, e);
    }
  }

  private Slot slot(String name) {
    Slot slot = slots.get(name);
    if (slot == null) {
      throw new ModelException(ModelException.Reason.NOT_FOUND, "no model named '" + name + "'; models: " + names());
    }
    return slot;
  }
}

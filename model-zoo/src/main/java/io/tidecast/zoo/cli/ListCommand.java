package io.tidecast.zoo.cli;

import io.tidecast.zoo.checkpoint.Manifest;
import io.tidecast.zoo.checkpoint.Registry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code zoo list}: the checkpoints in a registry folder, by name and version. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List the checkpoints in a registry folder (name/version/).")
final class ListCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--registry", defaultValue = "models",
      description = "Registry folder. Default: ${DEFAULT-VALUE}.")
  Path registry;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    List<Registry.Entry> entries = new Registry(registry).entries();
    if (entries.isEmpty()) {
      out.println("no checkpoints in " + registry.toAbsolutePath());
    } else {
      out.printf(Locale.ROOT, "%-20s %-8s %-10s %-20s %6s %8s %9s %9s%n", "name", "version", "kind",
          "created", "input", "horizon", "test MSE", "test MAE");
    }
    for (Registry.Entry e : entries) {
      Manifest m = e.manifest();
      if (m == null) {
        out.printf(Locale.ROOT, "%-20s %-8s unreadable: %s%n", e.name(), e.version(), e.problem());
        continue;
      }
      out.printf(Locale.ROOT, "%-20s %-8s %-10s %-20s %6s %8s %9s %9s%n", e.name(), e.version(),
          m.kind(), m.created(), m.config().getOrDefault("inputLength", "?"),
          m.config().getOrDefault("horizon", "?"), metric(m, "test.mse"), metric(m, "test.mae"));
    }
    out.flush();
  }

  private static String metric(Manifest m, String key) {
    Double value = m.metrics().get(key);
    return value == null ? "-" : String.format(Locale.ROOT, "%.4f", value);
  }
}

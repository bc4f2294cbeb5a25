package io.tidecast.zoo.cli;

import io.tidecast.forecaster.spi.ModelKinds;
import io.tidecast.forecaster.spi.ModelProvider;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code zoo kinds}: the model kinds on the class path. */
@Command(name = "kinds", mixinStandardHelpOptions = true, description = "List the registered model kinds.")
final class KindsCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    ModelKinds kinds = ModelKinds.load();
    for (String kind : kinds.kinds()) {
      ModelProvider provider = kinds.get(kind);
      spec.commandLine().getOut().printf("%-16s %s; options %s%n", kind, provider.description(),
          new TreeSet<>(provider.options()));
    }
    spec.commandLine().getOut().flush();
  }
}

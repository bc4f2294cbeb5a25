package io.tidecast.zoo.cli;

import io.tidecast.zoo.checkpoint.Checkpoint;
import io.tidecast.zoo.checkpoint.Checkpoints;
import io.tidecast.zoo.checkpoint.Manifest;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code zoo info}: checks a checkpoint's files against its manifest and prints the manifest and
 * the size of its weights.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Verify a checkpoint and print its manifest.")
final class InfoCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "CHECKPOINT", description = "A checkpoint directory.")
  Path checkpoint;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    Checkpoint loaded = Checkpoints.load(checkpoint);
    Manifest m = loaded.manifest();
    long parameters = loaded.weights().values().stream().mapToLong(a -> a.length()).sum();
    out.printf("%s: %s %s:%s, %d arrays, %,d values; every file matches its recorded hash%n",
        checkpoint, m.kind(), m.name(), m.version(), loaded.weights().size(), parameters);
    out.println(Checkpoints.json(m));
    out.flush();
  }
}

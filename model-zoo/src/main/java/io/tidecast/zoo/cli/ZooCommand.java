package io.tidecast.zoo.cli;

import java.io.PrintWriter;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code zoo}: the model zoo's command line. */
@Command(
    name = "zoo",
    mixinStandardHelpOptions = true,
    description = "Evaluate and list Tidecast model kinds.",
    subcommands = {EvaluateCommand.class, TrainCommand.class, ListCommand.class, InfoCommand.class,
        KindsCommand.class, BenchOpsCommand.class,
        BenchAttentionCommand.class, BenchInformerCommand.class, BenchLmuCommand.class})
public final class ZooCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line with the given output streams; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new ZooCommand());
    for (ZooSubcommand extra : ServiceLoader.load(ZooSubcommand.class)) {
      cli.addSubcommand(extra.name(), extra);
    }
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("zoo: " + e.getMessage());
      commandLine.getErr().flush();
      return 2;
    });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    if (System.getProperty("org.slf4j.simpleLogger.log.org.nd4j.imports") == null) {
      // ND4J warns at start-up about duplicate op mappings in its own tables
      System.setProperty("org.slf4j.simpleLogger.log.org.nd4j.imports", "error");
    }
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(out, err, args));
  }
}

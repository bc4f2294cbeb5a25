package io.tidecast.streams.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tidecast-streams}: the streams service and its load tools. */
@Command(name = "tidecast-streams", mixinStandardHelpOptions = true,
    description = "Run the Tidecast streams service, simulate a sensor fleet, replay a CSV, or benchmark.",
    subcommands = {RunCommand.class, SimulateCommand.class, ReplayCommand.class, BenchCommand.class,
        BenchWriterCommand.class})
public final class StreamsCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new StreamsCommand());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("tidecast-streams: " + e.getMessage());
      commandLine.getErr().flush();
      return 2;
    });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }
}

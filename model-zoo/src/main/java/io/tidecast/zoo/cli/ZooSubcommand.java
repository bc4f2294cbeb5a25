package io.tidecast.zoo.cli;

/**
 * A {@code zoo} subcommand from another module: a picocli {@code @Command} class registered in
 * {@code META-INF/services/io.tidecast.zoo.cli.ZooSubcommand}, added when that module is on the
 * class path.
 */
public interface ZooSubcommand extends Runnable {

  /** The subcommand's name, as typed after {@code zoo}. */
  String name();
}

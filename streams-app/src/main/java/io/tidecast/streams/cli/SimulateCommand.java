package io.tidecast.streams.cli;

import io.tidecast.streams.config.Topics;
import io.tidecast.streams.service.FleetModels;
import io.tidecast.streams.sim.FleetProducer;
import io.tidecast.streams.sim.Producers;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code simulate}: sends a simulated fleet's readings to a running service's readings topic. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Send readings of a simulated sensor fleet (daily and weekly seasons, trend, noise, gaps, bad records).")
final class SimulateCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", description = "Default: ${DEFAULT-VALUE}.")
  String bootstrap;

  @Option(names = "--topic", defaultValue = "tidecast.readings", description = "Default: ${DEFAULT-VALUE}.")
  String topic = Topics.DEFAULT.readings();

  @Option(names = "--sensors", defaultValue = "100", description = "Default: ${DEFAULT-VALUE}.")
  int sensors;

  @Option(names = "--steps", defaultValue = "1000", description = "Readings per sensor. Default: ${DEFAULT-VALUE}.")
  long steps;

  @Option(names = "--from-step", defaultValue = "2016", description = "First step (hours after the fleet's start). Default: ${DEFAULT-VALUE}.")
  long fromStep;

  @Option(names = "--rate", defaultValue = "0", description = "Readings per second; 0 for full speed. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--gap-rate", defaultValue = "0.01", description = "Share of readings left out. Default: ${DEFAULT-VALUE}.")
  double gapRate;

  @Option(names = "--bad-rate", defaultValue = "0.005", description = "Share of malformed records. Default: ${DEFAULT-VALUE}.")
  double badRate;

  @Override
  public Integer call() throws InterruptedException {
    long started = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer =
        Producers.readings(bootstrap)) {
      new FleetProducer(FleetModels.FLEET, sensors, gapRate, badRate, 7)
          .send(producer, topic, fromStep, fromStep + steps, rate, () -> true);
    }
    spec.commandLine().getOut().printf("sent %d steps of %d sensors to %s in %.1f s%n", steps, sensors, topic,
        (System.nanoTime() - started) / 1e9);
    return 0;
  }
}

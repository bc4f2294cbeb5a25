package io.tidecast.streams.cli;

import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.service.FleetModels;
import io.tidecast.streams.service.StreamsService;
import io.tidecast.streams.sim.FleetRunner;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code run}: the service on this machine. With no settings: the embedded broker, the topology
 * with the default model trained on the simulated fleet's history, and the fleet sending readings.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the streams service.")
final class RunCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  ServiceOptions options;

  @Option(names = "--sensors", defaultValue = "20", description = "Simulated sensors. Default: ${DEFAULT-VALUE}.")
  int sensors;

  @Option(names = "--rate", defaultValue = "20", description = "Simulated readings per second. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--no-fleet", description = "Do not start the simulated fleet.")
  boolean noFleet;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    ServiceConfig config = options.toConfig();
    config.applyNativeThreads();
    StreamsService service = StreamsService.start(config, FleetModels.train(config));
    CountDownLatch stopped = new CountDownLatch(1);
    FleetRunner fleet = noFleet ? null : FleetRunner.start(service.bootstrapServers(), config.topics().readings(),
        config.dataDir().resolve("fleet-step"), sensors, rate, config.inputLength());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (fleet != null) {
        fleet.close();
      }
      service.close();
      stopped.countDown();
    }, "tidecast-shutdown"));
    out.printf("Tidecast streams running: Kafka at %s, model %s (input %d, horizon %d)%n",
        service.bootstrapServers(), config.modelKind(), config.inputLength(), config.horizon());
    out.printf("  readings     %s%n  forecasts    %s%n  dead letters %s%n", config.topics().readings(),
        config.topics().forecasts(), config.topics().deadLetters());
    if (fleet != null) {
      out.printf("  simulated fleet: %d sensors, %.0f readings/s%n", sensors, rate);
    }
    out.printf("Read forecasts: kcat -b %s -C -t %s -X isolation.level=read_committed -o end -K '\\t'%n",
        service.bootstrapServers(), config.topics().forecasts());
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

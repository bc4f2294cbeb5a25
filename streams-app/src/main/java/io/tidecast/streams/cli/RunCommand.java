package io.tidecast.streams.cli;

import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.service.FleetModels;
import io.tidecast.streams.service.StreamsService;
import io.tidecast.streams.sim.FleetProducer;
import io.tidecast.streams.sim.Producers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.KafkaProducer;
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
    StreamsService service = StreamsService.start(config, FleetModels.train(config));
    CountDownLatch stopped = new CountDownLatch(1);
    Thread fleet = noFleet ? null : startFleet(service.bootstrapServers(), config);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (fleet != null) {
        fleet.interrupt();
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

  private Thread startFleet(String bootstrap, ServiceConfig config) {
    Thread thread = new Thread(() -> {
      Path progress = config.dataDir().resolve("fleet-step");
      try (KafkaProducer<byte[], byte[]> producer =
          Producers.readings(bootstrap)) {
        FleetProducer fleet = new FleetProducer(FleetModels.FLEET, sensors, 0.01, 0.005, 7);
        // The fleet goes on where it stopped. On a first start it sends one window of history at full
        // speed, so that forecasts begin at once, then keeps to its rate.
        long step;
        if (Files.exists(progress)) {
          step = Long.parseLong(Files.readString(progress).trim());
        } else {
          step = fleet.send(producer, config.topics().readings(), FleetModels.TRAINING_ROWS,
              FleetModels.TRAINING_ROWS + config.inputLength(), 0, () -> !Thread.currentThread().isInterrupted());
          Files.writeString(progress, Long.toString(step));
        }
        while (!Thread.currentThread().isInterrupted()) {
          step = fleet.send(producer, config.topics().readings(), step, step + 10, rate,
              () -> !Thread.currentThread().isInterrupted());
          Files.writeString(progress, Long.toString(step));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot keep the fleet's progress in " + config.dataDir(), e);
      }
    }, "tidecast-fleet");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}

package io.tidecast.streams.sim;

import io.tidecast.streams.service.FleetModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated fleet of the single-machine default, sending in the background. It goes on where it
 * stopped (its progress is a file in the data folder); on a first start it sends one window of
 * history at full speed, so that forecasts begin at once, then keeps to its rate.
 */
public final class FleetRunner implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FleetRunner.class);

  private final Thread thread;

  private FleetRunner(Thread thread) {
    this.thread = thread;
  }

  /**
   * @param progress the file that keeps the next step to send
   * @param warmUp steps of history sent at full speed on a first start
   */
  public static FleetRunner start(String bootstrap, String topic, Path progress, int sensors, double perSecond,
      int warmUp) {
    Thread thread = new Thread(() -> {
      try (KafkaProducer<byte[], byte[]> producer = Producers.readings(bootstrap)) {
        FleetProducer fleet = new FleetProducer(FleetModels.FLEET, sensors, 0.01, 0.005, 7);
        long step;
        if (Files.exists(progress)) {
          step = Long.parseLong(Files.readString(progress).trim());
        } else {
          step = fleet.send(producer, topic, FleetModels.TRAINING_ROWS, FleetModels.TRAINING_ROWS + warmUp, 0,
              () -> !Thread.currentThread().isInterrupted());
          Files.writeString(progress, Long.toString(step));
        }
        while (!Thread.currentThread().isInterrupted()) {
          step = fleet.send(producer, topic, step, step + 10, perSecond,
              () -> !Thread.currentThread().isInterrupted());
          Files.writeString(progress, Long.toString(step));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot keep the fleet's progress in " + progress, e);
      } catch (RuntimeException e) {
        if (!Thread.currentThread().isInterrupted()) {
          log.error("the simulated fleet stopped", e);
          throw e;
        }
      }
    }, "tidecast-fleet");
    thread.setDaemon(true);
    thread.start();
    return new FleetRunner(thread);
  }

  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

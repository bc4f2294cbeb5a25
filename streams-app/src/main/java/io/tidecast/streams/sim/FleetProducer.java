package io.tidecast.streams.sim;

import io.tidecast.streams.message.ReadingJson;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends a fleet's readings to the readings topic, step by step: at each step one reading per sensor.
 * A share of readings is left out (gaps) and a share replaced by a malformed record, so the
 * dead-letter path always has work. Paced to a rate, or as fast as the producer goes.
 */
public final class FleetProducer {

  private final Fleet fleet;
  private final int sensors;
  private final double gapRate;
  private final double badRate;
  private final Random random;

  public FleetProducer(Fleet fleet, int sensors, double gapRate, double badRate, long seed) {
    this.fleet = fleet;
    this.sensors = sensors;
    this.gapRate = gapRate;
    this.badRate = badRate;
    this.random = new Random(seed);
  }

  /**
   * Sends steps {@code [fromStep, toStep)} for every sensor.
   *
   * @param perSecond readings per second, or 0 for full speed
   * @param keepGoing checked between steps; false stops early
   * @return the step after the last one sent
   */
  public long send(Producer<byte[], byte[]> producer, String topic, long fromStep, long toStep, double perSecond,
      BooleanSupplier keepGoing) throws InterruptedException {
    Pacer pacer = new Pacer(perSecond);
    long step = fromStep;
    for (; step < toStep && keepGoing.getAsBoolean(); step++) {
      for (int s = 0; s < sensors; s++) {
        String id = Fleet.sensorId(s);
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        double roll = random.nextDouble();
        if (roll < gapRate) {
          continue;
        }
        byte[] value = roll < gapRate + badRate
            ? ("{\"series\":\"" + id + "\",\"ts\":\"" + fleet.time(step) + "\",\"values\":{\"OT\":").getBytes(
                StandardCharsets.UTF_8)
            : ReadingJson.write(id, fleet.time(step), Fleet.CHANNELS, fleet.values(s, step));
        producer.send(new ProducerRecord<>(topic, key, value));
        pacer.pace();
      }
    }
    producer.flush();
    return step;
  }
}

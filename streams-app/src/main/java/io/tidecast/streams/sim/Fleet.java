package io.tidecast.streams.sim;

import io.tidecast.forecaster.Frequency;
import io.tidecast.forecaster.data.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A simulated fleet of sensors, each a multivariate series with a daily and a weekly season, a slow
 * trend and noise, the channels correlated like the loads and oil temperature of a transformer.
 * Sensor {@code i} is deterministic given the fleet's seed, so history for training and the live
 * stream agree.
 */
public final class Fleet {

  /** Channel names of every simulated sensor. */
  public static final List<String> CHANNELS = List.of("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT");

  private static final double DAY_HOURS = 24;
  private static final double WEEK_HOURS = 168;

  private final long seed;
  private final Frequency frequency;
  private final Instant start;
  private final double stepHours;

  public Fleet(long seed, Frequency frequency, Instant start) {
    this.seed = seed;
    this.frequency = frequency;
    this.start = start;
    this.stepHours = Duration.between(Instant.EPOCH, frequency.plus(Instant.EPOCH, 1)).toMillis() / 3.6e6;
  }

  public Frequency frequency() {
    return frequency;
  }

  public static String sensorId(int index) {
    return "sensor-" + index;
  }

  /** The time of step {@code t} of every sensor. */
  public Instant time(long t) {
    return frequency.plus(start, t);
  }

  /** The values of sensor {@code sensor} at step {@code t}, one per channel. */
  public double[] values(int sensor, long t) {
    SplittableRandom sensorRandom = new SplittableRandom(seed * 1_000_003L + sensor);
    double level = 5 + sensorRandom.nextDouble(-1, 1);
    double phase = sensorRandom.nextDouble(0, 2 * Math.PI);
    double amp = 2 + sensorRandom.nextDouble(-0.5, 0.5);
    Random noise = new Random(seed ^ (sensor * 0x9E3779B97F4A7C15L) ^ (t * 0xC2B2AE3D27D4EB4FL));
    double hours = t * stepHours;
    double daily = Math.sin(2 * Math.PI * hours / DAY_HOURS + phase);
    double weekly = Math.sin(2 * Math.PI * hours / WEEK_HOURS + phase / 2);
    double trend = 0.0005 * hours;
    double load = level + amp * daily + 0.8 * weekly + trend;
    double[] v = new double[CHANNELS.size()];
    v[0] = load + 0.3 * noise.nextGaussian();
    v[1] = 0.4 * load + 0.2 * noise.nextGaussian();
    v[2] = 0.9 * load - 1 + 0.3 * noise.nextGaussian();
    v[3] = 0.3 * load - 0.5 + 0.2 * noise.nextGaussian();
    v[4] = 0.5 * load + 0.5 * daily + 0.1 * noise.nextGaussian();
    v[5] = 0.2 * load + 0.1 * noise.nextGaussian();
    v[6] = 15 + 1.5 * load + 2 * Math.sin(2 * Math.PI * (hours - 3) / DAY_HOURS + phase) + 0.5 * noise.nextGaussian();
    return v;
  }

  /** The first {@code rows} steps of one sensor, as a series to train on. */
  public TimeSeries history(int sensor, int rows) {
    Instant[] ts = new Instant[rows];
    double[][] values = new double[rows][];
    for (int t = 0; t < rows; t++) {
      ts[t] = time(t);
      values[t] = values(sensor, t);
    }
    return new TimeSeries(sensorId(sensor), CHANNELS, frequency, ts, values);
  }
}

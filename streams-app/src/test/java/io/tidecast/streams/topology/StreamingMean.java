package io.tidecast.streams.topology;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.ForecastStep;
import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.Observation;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.forecaster.StreamingForecaster;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Forecasts the mean of each channel over the last window, as a window model and as a recurrent
 * one (its state: the readings seen, the last time, and a ring of the last window), and records
 * the size of every batched update: a test double for the topology.
 */
final class StreamingMean implements Forecaster, StreamingForecaster<StreamingMean.State> {

  /** The readings seen, the time of the last, and the last window in a ring. */
  record State(long seen, Instant last, double[][] ring) {}

  /** A first-channel value this model refuses, as a model refuses input it cannot use. */
  static final double REFUSED = 666;

  final List<Integer> updates = new ArrayList<>();
  final List<Integer> windowCalls = new ArrayList<>();
  private final ForecasterSpec spec;
  private final ModelId id;

  StreamingMean(ForecasterSpec spec, String version) {
    this.spec = spec;
    this.id = new ModelId("mean", version);
  }

  @Override
  public ModelId id() {
    return id;
  }

  @Override
  public ForecasterSpec spec() {
    return spec;
  }

  @Override
  public List<Forecast> forecast(List<SeriesWindow> windows) {
    windowCalls.add(windows.size());
    List<Forecast> out = new ArrayList<>();
    for (SeriesWindow w : windows) {
      out.add(forecast(w.series(), w.end(), w.values()));
    }
    return out;
  }

  @Override
  public State initialState() {
    return new State(0, null, new double[spec.inputLength()][spec.inputChannels().size()]);
  }

  @Override
  public State update(State state, Observation reading) {
    double[][] ring = new double[state.ring().length][];
    for (int i = 0; i < ring.length; i++) {
      ring[i] = state.ring()[i].clone();
    }
    ring[(int) (state.seen() % ring.length)] = reading.values();
    return new State(state.seen() + 1, reading.ts(), ring);
  }

  @Override
  public List<State> update(List<State> states, List<Observation> readings) {
    updates.add(states.size());
    for (Observation r : readings) {
      if (r.value(0) == REFUSED) {
        throw new IllegalArgumentException("a reading of " + REFUSED + " is refused");
      }
    }
    return StreamingForecaster.super.update(states, readings);
  }

  @Override
  public Forecast forecast(String series, State state) {
    if (state.seen() < warmUp()) {
      throw new IllegalArgumentException(series + " has seen " + state.seen() + " readings");
    }
    return forecast(series, state.last(), state.ring());
  }

  private Forecast forecast(String series, Instant end, double[][] rows) {
    double[] mean = new double[spec.inputChannels().size()];
    for (double[] row : rows) {
      for (int c = 0; c < mean.length; c++) {
        mean[c] += row[c] / rows.length;
      }
    }
    List<ForecastStep> steps = new ArrayList<>();
    for (int h = 1; h <= spec.horizon(); h++) {
      steps.add(ForecastStep.point(spec.frequency().plus(end, h), mean));
    }
    return new Forecast(series, end, id, spec.outputChannels(), steps);
  }

  @Override
  public int warmUp() {
    return spec.inputLength();
  }

  @Override
  public byte[] encode(State state) {
    int channels = spec.inputChannels().size();
    ByteBuffer b = ByteBuffer.allocate(8 + 8 + 8 * state.ring().length * channels);
    b.putLong(state.seen()).putLong(state.last() == null ? Long.MIN_VALUE : state.last().toEpochMilli());
    for (double[] row : state.ring()) {
      for (double v : row) {
        b.putDouble(v);
      }
    }
    return b.array();
  }

  @Override
  public State decode(byte[] bytes) {
    int expected = 16 + 8 * spec.inputLength() * spec.inputChannels().size();
    if (bytes.length != expected) {
      throw new IllegalArgumentException("a state has " + expected + " bytes, got " + bytes.length);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    long seen = b.getLong();
    long last = b.getLong();
    double[][] ring = new double[spec.inputLength()][spec.inputChannels().size()];
    for (double[] row : ring) {
      for (int c = 0; c < row.length; c++) {
        row[c] = b.getDouble();
      }
    }
    return new State(seen, last == Long.MIN_VALUE ? null : Instant.ofEpochMilli(last), ring);
  }

  @Override
  public void close() {}
}

package io.tidecast.streams.topology;

/** The state stores of the topology. */
public final class StoreNames {

  /** Recent readings: series + step -> values. */
  public static final String READINGS = "readings";
  /** Per series: newest step and readings since the last forecast. */
  public static final String SERIES_STATE = "series-state";
  /** Forecasts due but not yet made: series + step -> nothing. */
  public static final String DUE = "due";
  /** The newest forecast of each series, as the JSON of the forecasts topic. */
  public static final String LATEST_FORECAST = "latest-forecast";
  /**
   * Per series served by a recurrent model: the model that made the state, the step it has read
   * up to, and the state's bytes ({@link RecurrentStates}).
   */
  public static final String RECURRENT_STATE = "recurrent-state";

  /** Forecasts waiting for the readings of their target times, by series and issue step. */
  public static final String ISSUED = "issued-forecasts";

  /** Per series: online accuracy and interval half-widths by horizon step and channel (queryable). */
  public static final String ACCURACY = "accuracy";

  private StoreNames() {}
}

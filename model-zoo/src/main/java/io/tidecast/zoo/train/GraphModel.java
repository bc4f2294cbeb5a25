package io.tidecast.zoo.train;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeFeatures;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.zoo.WindowForecaster;
import java.util.Map;

/** One model of a {@link GraphKind}: its training graph and what it becomes once trained. */
public interface GraphModel {

  TrainableGraph graph();

  /** The calendar values of every row, {@code [row][value]}, in the form the graph reads. */
  default double[][] calendar(TimeSeries rows) {
    return TimeFeatures.of(rows.frequency()).encode(rows.timestamps());
  }

  /** The configuration as a manifest stores it, with everything needed to rebuild the graph. */
  Map<String, Object> config();

  /** The serving form of the trained graph (its current weights). */
  WindowForecaster forecaster(ModelId id, ForecasterSpec spec, StandardScaler scaler);
}

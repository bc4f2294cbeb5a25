package io.tidecast.zoo.informer;

import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.data.StandardScaler;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.forecaster.spi.ModelSettings;
import io.tidecast.zoo.WindowForecaster;
import io.tidecast.zoo.checkpoint.Checkpoints;
import io.tidecast.zoo.train.GraphKind;
import io.tidecast.zoo.train.GraphModel;
import io.tidecast.zoo.train.TrainableGraph;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The Informer as a trainable kind, with the reference defaults: {@code label} half the input,
 * {@code d-model} 512, {@code heads} 8, {@code d-ff} 2048, {@code e-layers} 2, {@code d-layers}
 * 1, {@code factor} 5, {@code dropout} 0.05, {@code stack} 1 (InformerStack: 2 or more encoders),
 * {@code embed} timeF (or fixed); trained for up to 6 epochs at {@code lr} 1e-4, batch 32.
 */
public final class InformerKind implements GraphKind {

  @Override
  public String kind() {
    return InformerCheckpoint.KIND;
  }

  @Override
  public String description() {
    return "Informer: ProbSparse self-attention, distilling encoder, generative decoder";
  }

  @Override
  public Map<String, String> options() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("label", null);
    o.put("d-model", "512");
    o.put("heads", "8");
    o.put("d-ff", "2048");
    o.put("e-layers", "2");
    o.put("d-layers", "1");
    o.put("factor", "5");
    o.put("dropout", "0.05");
    o.put("stack", "1");
    o.put("embed", CalendarEmbedding.TIME_F.code());
    return o;
  }

  @Override
  public Map<String, String> schedule() {
    return Map.of("epochs", "6", "lr", "1e-4");
  }

  @Override
  public GraphModel build(ModelSettings s, TimeSeries train, long seed) {
    int channels = train.channels().size();
    int outputs = s.targets().isEmpty() ? channels : s.targets().size();
    CalendarEmbedding calendar = CalendarEmbedding.parse(s.options().get("embed"));
    int input = s.inputLength();
    InformerConfig config = new InformerConfig(input, s.intOption("label", input / 2),
        s.horizon(), channels, channels, outputs, calendar.size(train.frequency()),
        s.intOption("d-model", 0), s.intOption("heads", 0), s.intOption("e-layers", 0),
        s.intOption("d-layers", 0), s.intOption("d-ff", 0), s.intOption("factor", 0),
        s.doubleOption("dropout", 0), true, true, s.intOption("stack", 0), calendar.code());
    return model(InformerGraph.build(config, DataType.FLOAT, seed));
  }

  /** The trainable model around a graph. */
  static GraphModel model(InformerGraph graph) {
    InformerConfig config = graph.config();
    CalendarEmbedding calendar = config.calendar();
    return new GraphModel() {
      @Override
      public TrainableGraph graph() {
        return graph;
      }

      @Override
      public double[][] calendar(TimeSeries rows) {
        return calendar.encode(rows.frequency(), rows.timestamps());
      }

      @Override
      public Map<String, Object> config() {
        Map<String, Object> c = new TreeMap<>(Checkpoints.toMap(config));
        c.put(InformerCheckpoint.SEED, graph.seed());
        return c;
      }

      @Override
      public WindowForecaster forecaster(ModelId id, ForecasterSpec spec, StandardScaler scaler) {
        InformerGraph serving = InformerGraph.build(config.forInference(), DataType.FLOAT,
            graph.seed());
        serving.load(graph.weights());
        return new InformerForecaster(id, spec, scaler, serving);
      }
    };
  }
}

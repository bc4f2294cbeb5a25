package io.tidecast.zoo.cli;

import io.tidecast.zoo.informer.CalendarEmbedding;
import io.tidecast.zoo.informer.InformerConfig;
import io.tidecast.zoo.informer.InformerKind;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Window sizes and the architecture options of the Informer as flags, shared by the commands that
 * build one; {@code --d-model} and {@code --dropout} apply to other kinds too. A flag not given
 * takes the model kind's default.
 */
final class InformerOptions {

  @Option(names = "--input", defaultValue = "96", description = "Input length. Default: ${DEFAULT-VALUE}.")
  int inputLength;

  @Option(names = "--horizon", defaultValue = "96", description = "Forecast steps. Default: ${DEFAULT-VALUE}.")
  int horizon;

  @Option(names = "--label", description = "Informer start-token length (default: half the input).")
  Integer labelLength;

  @Option(names = "--d-model", description = "Model width (default: the kind's; Informer 512).")
  Integer dModel;

  @Option(names = "--heads", description = "Informer attention heads (default 8).")
  Integer heads;

  @Option(names = "--d-ff", description = "Informer feed-forward width (default 2048).")
  Integer dFf;

  @Option(names = "--e-layers", description = "Informer encoder layers (default 2).")
  Integer encoderLayers;

  @Option(names = "--d-layers", description = "Informer decoder layers (default 1).")
  Integer decoderLayers;

  @Option(names = "--dropout", description = "Dropout in training (default: the kind's; Informer 0.05).")
  Double dropout;

  @Option(names = "--stack",
      description = "Informer encoders side by side (InformerStack; encoder i reads the last"
          + " input/2^i steps through e-layers - i layers). Default 1.")
  Integer stack;

  @Option(names = "--embed",
      description = "Informer calendar embedding: timeF (learned linear) or fixed (sinusoidal"
          + " tables). Default timeF.")
  String embed;

  /** The flags given, as model options. */
  Map<String, String> options() {
    Map<String, String> o = new LinkedHashMap<>();
    put(o, "label", labelLength);
    put(o, "d-model", dModel);
    put(o, "heads", heads);
    put(o, "d-ff", dFf);
    put(o, "e-layers", encoderLayers);
    put(o, "d-layers", decoderLayers);
    put(o, "dropout", dropout);
    put(o, "stack", stack);
    put(o, "embed", embed);
    return o;
  }

  /** Puts {@code value} as text under {@code key} when it was given (not null). */
  static void put(Map<String, String> options, String key, Object value) {
    if (value != null) {
      options.put(key, value.toString());
    }
  }

  CalendarEmbedding calendar() {
    return CalendarEmbedding.parse(embed != null ? embed : option("embed"));
  }

  /** The Informer for these flags and the reference defaults, ProbSparse and distilling on. */
  InformerConfig config(int inputChannels, int outputChannels, int timeFeatures) {
    Map<String, String> o = options();
    return new InformerConfig(inputLength, labelLength != null ? labelLength : inputLength / 2,
        horizon, inputChannels, inputChannels, outputChannels, timeFeatures,
        integer(o, "d-model"), integer(o, "heads"), integer(o, "e-layers"), integer(o, "d-layers"),
        integer(o, "d-ff"), integer(o, "factor"),
        Double.parseDouble(o.getOrDefault("dropout", option("dropout"))), true, true,
        integer(o, "stack"), calendar().code());
  }

  private static int integer(Map<String, String> given, String key) {
    return Integer.parseInt(given.getOrDefault(key, option(key)));
  }

  private static String option(String key) {
    return new InformerKind().options().get(key);
  }
}

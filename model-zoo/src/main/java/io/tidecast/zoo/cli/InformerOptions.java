package io.tidecast.zoo.cli;

import io.tidecast.zoo.informer.CalendarEmbedding;
import io.tidecast.zoo.informer.InformerConfig;
import picocli.CommandLine.Option;

/** The Informer's architecture options, shared by the commands that build one. */
final class InformerOptions {

  @Option(names = "--input", defaultValue = "96", description = "Input length. Default: ${DEFAULT-VALUE}.")
  int inputLength;

  @Option(names = "--label", defaultValue = "48", description = "Start-token length. Default: ${DEFAULT-VALUE}.")
  int labelLength;

  @Option(names = "--horizon", defaultValue = "96", description = "Forecast steps. Default: ${DEFAULT-VALUE}.")
  int horizon;

  @Option(names = "--d-model", defaultValue = "512", description = "Default: ${DEFAULT-VALUE}.")
  int dModel;

  @Option(names = "--heads", defaultValue = "8", description = "Default: ${DEFAULT-VALUE}.")
  int heads;

  @Option(names = "--d-ff", defaultValue = "2048", description = "Default: ${DEFAULT-VALUE}.")
  int dFf;

  @Option(names = "--e-layers", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
  int encoderLayers;

  @Option(names = "--d-layers", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
  int decoderLayers;

  @Option(names = "--dropout", defaultValue = "0.05", description = "Default: ${DEFAULT-VALUE}.")
  double dropout;

  @Option(names = "--stack", defaultValue = "1",
      description = "Encoders side by side (InformerStack; encoder i reads the last input/2^i steps"
          + " through e-layers - i layers). Default: ${DEFAULT-VALUE}.")
  int stack;

  @Option(names = "--embed", defaultValue = "timeF",
      description = "Calendar embedding: timeF (learned linear) or fixed (sinusoidal tables)."
          + " Default: ${DEFAULT-VALUE}.")
  String embed;

  CalendarEmbedding calendar() {
    return CalendarEmbedding.parse(embed);
  }

  /** The configuration for these options, ProbSparse attention and distilling on. */
  InformerConfig config(int inputChannels, int outputChannels, int timeFeatures) {
    return new InformerConfig(inputLength, labelLength, horizon, inputChannels, inputChannels,
        outputChannels, timeFeatures, dModel, heads, encoderLayers, decoderLayers, dFf, 5, dropout,
        true, true, stack, calendar().code());
  }
}

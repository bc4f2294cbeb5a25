package io.tidecast.forecaster.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.data.TimeSeries;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelKindsTest {

  /** A provider that records the settings it was asked to train with. */
  private static final class Recording implements ModelProvider {
    private final String kind;
    ModelSettings seen;

    Recording(String kind) {
      this.kind = kind;
    }

    @Override
    public String kind() {
      return kind;
    }

    @Override
    public String description() {
      return "test kind";
    }

    @Override
    public Set<String> options() {
      return Set.of("period");
    }

    @Override
    public Forecaster train(TimeSeries train, TimeSeries validation, ModelSettings settings) {
      seen = settings;
      return null;
    }
  }

  @Test
  void findsKindsByNameAndNamesTheKnownOnesWhenAsked() {
    ModelKinds kinds = ModelKinds.of(List.of(new Recording("b-kind"), new Recording("a-kind")));

    assertThat(kinds.kinds()).containsExactly("a-kind", "b-kind");
    assertThat(kinds.get("a-kind").kind()).isEqualTo("a-kind");
    assertThatThrownBy(() -> kinds.get("nope"))
        .hasMessage("unknown model kind 'nope'; known kinds: [a-kind, b-kind]");
  }

  @Test
  void refusesTwoProvidersOfOneKind() {
    assertThatThrownBy(() -> ModelKinds.of(List.of(new Recording("x"), new Recording("x"))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("registered twice");
  }

  @Test
  void passesKnownOptionsAndRefusesUnknownOnes() {
    Recording provider = new Recording("x");
    ModelKinds kinds = ModelKinds.of(List.of(provider));

    kinds.train("x", null, null, new ModelSettings("x", 4, 2, List.of(), Map.of("period", "3")));
    assertThat(provider.seen.intOption("period", 1)).isEqualTo(3);
    assertThatThrownBy(() -> kinds.train("x", null, null,
        new ModelSettings("x", 4, 2, List.of(), Map.of("perid", "3"))))
        .hasMessageContaining("has no option(s) [perid]");
  }

  @Test
  void settingsExplainBadOptionValues() {
    ModelSettings settings = new ModelSettings("x", 4, 2, List.of(), Map.of("period", "often", "f", "maybe"));

    assertThatThrownBy(() -> settings.intOption("period", 1)).hasMessageContaining("must be an integer");
    assertThatThrownBy(() -> settings.booleanOption("f", false)).hasMessageContaining("true or false");
    assertThat(settings.doubleOption("absent", 0.5)).isEqualTo(0.5);
  }
}

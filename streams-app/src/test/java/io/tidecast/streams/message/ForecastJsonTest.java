package io.tidecast.streams.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.ForecastStep;
import io.tidecast.forecaster.ModelId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ForecastJsonTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void writesEveryFieldSoThatAJsonParserReadsItBack() {
    List<String> channels = List.of("OT", "quote\"and\\slash", "tab\tnew\nline", "température", "雨量 mm", "e\u0001");
    Random random = new Random(3);
    Instant issued = Instant.parse("2026-11-28T10:00:00Z");
    List<ForecastStep> steps = new ArrayList<>();
    for (int h = 1; h <= 24; h++) {
      double[] yhat = random.doubles(channels.size(), -1e4, 1e4).toArray();
      double[] lower = yhat.clone();
      double[] upper = yhat.clone();
      for (int c = 0; c < yhat.length; c++) {
        lower[c] -= random.nextDouble();
        upper[c] += random.nextDouble() * 1e-6;
      }
      steps.add(h % 5 == 0 ? ForecastStep.point(issued.plusSeconds(3600L * h), yhat)
          : new ForecastStep(issued.plusSeconds(3600L * h), yhat, lower, upper));
    }
    Forecast forecast = new Forecast("sensor \"7\" / ünï", issued, new ModelId("linear-ar", "lags-96\\x"), channels, steps);

    JsonNode tree = JSON.readTree(ForecastJson.write(forecast));

    assertThat(tree.get("series").asString()).isEqualTo(forecast.series());
    assertThat(tree.get("issuedAt").asString()).isEqualTo("2026-11-28T10:00:00Z");
    assertThat(tree.get("model").get("name").asString()).isEqualTo("linear-ar");
    assertThat(tree.get("model").get("version").asString()).isEqualTo("lags-96\\x");
    assertThat(tree.get("steps").size()).isEqualTo(24);
    for (int h = 0; h < 24; h++) {
      JsonNode step = tree.get("steps").get(h);
      ForecastStep expected = steps.get(h);
      assertThat(step.get("ts").asString()).isEqualTo(expected.ts().toString());
      assertThat(step.has("lower")).isEqualTo(expected.hasInterval());
      assertThat(step.has("upper")).isEqualTo(expected.hasInterval());
      for (int c = 0; c < channels.size(); c++) {
        String name = channels.get(c);
        assertThat((float) step.get("yhat").get(name).asDouble()).isEqualTo((float) expected.yhat(c));
        if (expected.hasInterval()) {
          assertThat((float) step.get("lower").get(name).asDouble()).isEqualTo((float) expected.lower(c));
          assertThat((float) step.get("upper").get(name).asDouble()).isEqualTo((float) expected.upper(c));
        }
      }
      assertThat(step.get("yhat").size()).isEqualTo(channels.size());
    }
  }
}

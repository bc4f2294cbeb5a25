package io.tidecast.api.forecast;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.tidecast.api.TestModels;
import io.tidecast.api.model.ModelRegistry;
import io.tidecast.streams.service.FleetModels;
import io.tidecast.streams.sim.Fleet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@WebMvcTest(controllers = ForecastController.class, properties = "tidecast.api.max-body-bytes=4000000")
class ForecastControllerTest {

  static final String STORED = "{\"series\":\"sensor-0000\",\"issuedAt\":\"2026-11-28T10:00:00Z\","
      + "\"model\":{\"name\":\"linear-ar\",\"version\":\"lags-96\"},\"steps\":[]}";

  @TestConfiguration
  static class Beans {
    @Bean
    PastForecasts past() {
      return (series, from, to, limit) -> {
        if (series.equals("sensor-0000")) {
          return ("[{\"series\":\"sensor-0000\",\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"limit\":" + limit
              + "}]").getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalStateException("no database is configured");
      };
    }

    @Bean
    ModelRegistry registry() {
      return TestModels.registry();
    }

    /** sensor-0000 has a forecast, accuracy and readings, sensor-0001 none yet; the rest cannot be answered now. */
    @Bean
    SeriesQueries queries() {
      return new SeriesQueries() {
        @Override
        public Optional<byte[]> latest(String series) {
          return lookup(series, STORED);
        }

        @Override
        public Optional<byte[]> accuracy(String series) {
          return lookup(series, "{\"series\":\"sensor-0000\",\"steps\":[]}");
        }

        @Override
        public Optional<byte[]> readings(String series) {
          return lookup(series, "{\"series\":\"sensor-0000\",\"readings\":[]}");
        }

        @Override
        public List<String> series() {
          return List.of("sensor-0000");
        }

        private Optional<byte[]> lookup(String series, String json) {
          return switch (series) {
            case "sensor-0000" -> Optional.of(json.getBytes(StandardCharsets.UTF_8));
            case "sensor-0001" -> Optional.empty();
            default -> throw new IllegalStateException("the streams metadata is not available yet (rebalancing)");
          };
        }
      };
    }
  }

  @Autowired
  MockMvc mvc;

  @Test
  void latestForecastComesFromTheStore() throws Exception {
    mvc.perform(get("/api/v1/series/sensor-0000/forecast"))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
        .andExpect(content().json(STORED));
    mvc.perform(get("/api/v1/series/sensor-0001/forecast"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value(containsString("no forecast of series 'sensor-0001'")));
    mvc.perform(get("/api/v1/series/sensor-0002/forecast"))
        .andExpect(status().isServiceUnavailable())
        .andExpect(jsonPath("$.detail").value(containsString("rebalancing")));
    mvc.perform(get("/api/v1/series/" + "x".repeat(201) + "/forecast")).andExpect(status().isBadRequest());
  }

  @Test
  void pastForecastsComeFromTheDatabaseWithValidatedRanges() throws Exception {
    mvc.perform(get("/api/v1/series/sensor-0000/forecasts?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00+01:00&limit=5"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$[0].from").value("2026-01-01T00:00:00Z"))
        .andExpect(jsonPath("$[0].to").value("2026-01-31T23:00:00Z"))
        .andExpect(jsonPath("$[0].limit").value(5));
    mvc.perform(get("/api/v1/series/sensor-0000/forecasts")).andExpect(status().isOk())
        .andExpect(jsonPath("$[0].limit").value(100));
    mvc.perform(get("/api/v1/series/sensor-0000/forecasts?from=yesterday")).andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value(containsString("from 'yesterday' is not an ISO-8601 time")));
    mvc.perform(get("/api/v1/series/sensor-0000/forecasts?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z"))
        .andExpect(status().isBadRequest());
    mvc.perform(get("/api/v1/series/sensor-0000/forecasts?limit=0")).andExpect(status().isBadRequest());
    mvc.perform(get("/api/v1/series/sensor-0000/forecasts?limit=many")).andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    mvc.perform(get("/api/v1/series/sensor-0001/forecasts")).andExpect(status().isServiceUnavailable())
        .andExpect(jsonPath("$.detail").value(containsString("no database is configured")));
  }

  @Test
  void seriesAccuracyAndReadingsComeFromTheStores() throws Exception {
    mvc.perform(get("/api/v1/series")).andExpect(status().isOk()).andExpect(content().json("[\"sensor-0000\"]"));
    mvc.perform(get("/api/v1/series/sensor-0000/accuracy")).andExpect(status().isOk())
        .andExpect(jsonPath("$.series").value("sensor-0000"));
    mvc.perform(get("/api/v1/series/sensor-0000/readings")).andExpect(status().isOk())
        .andExpect(jsonPath("$.readings").isArray());
    mvc.perform(get("/api/v1/series/sensor-0001/accuracy")).andExpect(status().isNotFound())
        .andExpect(jsonPath("$.detail").value(containsString("no forecast of series 'sensor-0001' has been scored")));
    mvc.perform(get("/api/v1/series/sensor-0001/readings")).andExpect(status().isNotFound());
    mvc.perform(get("/api/v1/series/sensor-0002/accuracy")).andExpect(status().isServiceUnavailable());
  }

  /** A window of the fleet's sensor 0: 96 hourly readings of its 7 channels, with one change applied. */
  static String window(int count, UnaryOperator<String> change) {
    StringBuilder json = new StringBuilder("{\"model\":\"linear-ar\",\"series\":\"pump-3\",\"readings\":[");
    for (int i = 0; i < count; i++) {
      long step = FleetModels.TRAINING_ROWS + i;
      double[] values = FleetModels.FLEET.values(0, step);
      json.append(i == 0 ? "" : ",").append("{\"ts\":\"").append(FleetModels.FLEET.time(step)).append("\",\"values\":{");
      for (int c = 0; c < Fleet.CHANNELS.size(); c++) {
        json.append(c == 0 ? "" : ",").append('"').append(Fleet.CHANNELS.get(c)).append("\":").append(values[c]);
      }
      json.append("}}");
    }
    return change.apply(json.append("]}").toString());
  }

  private ResultActions adHoc(String body) throws Exception {
    return mvc.perform(post("/api/v1/forecast").contentType(MediaType.APPLICATION_JSON).content(body));
  }

  @Test
  void forecastsAWindowGivenInTheBody() throws Exception {
    Instant last = FleetModels.FLEET.time(FleetModels.TRAINING_ROWS + 99);
    adHoc(window(100, s -> s))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.series").value("pump-3"))
        .andExpect(jsonPath("$.issuedAt").value(last.toString()))
        .andExpect(jsonPath("$.model.name").value("linear-ar"))
        .andExpect(jsonPath("$.model.version").value("lags-96"))
        .andExpect(jsonPath("$.steps.length()").value(24))
        .andExpect(jsonPath("$.steps[0].ts").value(last.plusSeconds(3600).toString()))
        .andExpect(jsonPath("$.steps[23].yhat.OT").isNumber());
  }

  @Test
  void everyInvalidWindowIsA400ProblemThatSaysWhy() throws Exception {
    expectInvalid(window(95, s -> s), "the model reads 96 readings; the request has 95");
    expectInvalid(window(96, s -> s.replaceFirst("\"HUFL\"", "\"XUFL\"")), "readings[0] has channel 'XUFL'");
    expectInvalid(window(96, s -> s.replaceFirst(",\"OT\":[-0-9.E]+", "")), "readings[0] has [");
    expectInvalid(window(96, s -> s.replaceFirst("\"OT\":[-0-9.E]+", "\"OT\":1e999")), "values must be finite");
    expectInvalid(window(96, s -> s.replaceFirst("\"OT\":[-0-9.E]+", "\"OT\":null")), "values must be finite");
    expectInvalid(window(96, s -> s.replaceFirst("2026-[0-9-]+T", "yesterdayT")), "is not an ISO-8601 time");
    expectInvalid(window(96, s -> s.replaceFirst("(\"ts\":\"2026-[0-9-]+T)[0-9]{2}", "$123")), "is not one step");
    expectInvalid(window(96, s -> s.replace("\"model\":\"linear-ar\"", "\"model\":\"../../etc\"")), "no model named");
    expectInvalid("{\"readings\": null}", "the request has none");
    expectInvalid(window(10_001, s -> s), "at most 10000 readings");
  }

  private void expectInvalid(String body, String detail) throws Exception {
    adHoc(body).andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value(containsString(detail)));
  }

  @Test
  void malformedJsonAndWrongContentTypesAre4xxProblems() throws Exception {
    adHoc("{\"readings\": [").andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    adHoc("{\"readings\": \"many\"}").andExpect(status().isBadRequest());
    mvc.perform(post("/api/v1/forecast").contentType(MediaType.TEXT_PLAIN).content("hello"))
        .andExpect(status().isUnsupportedMediaType())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    mvc.perform(post("/api/v1/forecast").contentType(MediaType.APPLICATION_JSON).content(new byte[4_000_001]))
        .andExpect(status().isContentTooLarge())
        .andExpect(jsonPath("$.detail").value(containsString("the limit is 4000000")));
  }
}

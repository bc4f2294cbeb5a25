package io.tidecast.api.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.tidecast.api.TestModels;
import io.tidecast.api.forecast.PastForecasts;
import io.tidecast.api.forecast.SeriesQueries;
import java.nio.charset.StandardCharsets;
import io.tidecast.api.model.ModelRegistry;
import io.tidecast.api.model.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@WebMvcTest(properties = "tidecast.api.key=right-key")
@Import(TestModels.Beans.class)
class ApiSecurityTest {

  @TestConfiguration
  static class Beans {
    @Bean
    PastForecasts past() {
      return (series, from, to, limit) -> "[]".getBytes(StandardCharsets.UTF_8);
    }

    @Bean
    SeriesQueries queries() {
      return new SeriesQueries() {
        @Override
        public Optional<byte[]> latest(String series) {
          return Optional.empty();
        }

        @Override
        public Optional<byte[]> accuracy(String series) {
          return Optional.empty();
        }

        @Override
        public Optional<byte[]> readings(String series) {
          return Optional.empty();
        }

        @Override
        public List<String> series() {
          return List.of();
        }
      };
    }
  }

  @Autowired
  MockMvc mvc;

  @Autowired
  ModelRegistry registry;

  private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, String body) {
    return request.contentType(MediaType.APPLICATION_JSON).content(body);
  }

  @Test
  void mutatingCallsWithoutAKeyAre401AndWithAWrongKey403() throws Exception {
    List<MockHttpServletRequestBuilder> mutating = List.of(
        json(put("/api/v1/models/linear-ar"), "{\"version\":\"lags-96\"}"),
        json(post("/api/v1/models/linear-ar/versions"), "{\"kind\":\"linear-ar\"}"),
        delete("/api/v1/models/linear-ar/versions/lags-96"));
    List<String> before = state();
    for (MockHttpServletRequestBuilder call : mutating) {
      mvc.perform(call).andExpect(status().isUnauthorized()).andExpect(header().string("WWW-Authenticate", "Bearer"))
          .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
      mvc.perform(call.header("X-API-Key", "wrong-key")).andExpect(status().isForbidden())
          .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }
    mvc.perform(json(put("/api/v1/models/linear-ar"), "{\"version\":\"lags-96\"}")
        .header("Authorization", "Bearer wrong-key")).andExpect(status().isForbidden());
    assertThat(state()).isEqualTo(before);
    mvc.perform(json(put("/api/v1/models/linear-ar"), "{\"version\":\"lags-96\"}")
        .header("Authorization", "Bearer right-key")).andExpect(status().isOk());
    mvc.perform(get("/api/v1/models")).andExpect(status().isOk());
  }

  /** Each hostile call is refused with a 4xx problem, and the registry is as it was. */
  @Test
  void hostileInputsGet4xxAndLeaveTheRegistryUnchanged() throws Exception {
    List<String> before = state();
    List<MockHttpServletRequestBuilder> hostile = new ArrayList<>(List.of(
        json(put("/api/v1/models/linear-ar"), "{\"version\":\"../../../etc/passwd\"}"),
        json(put("/api/v1/models/linear-ar"), "{\"version\":\"..\"}"),
        json(put("/api/v1/models/linear-ar"), "{\"version\":\"1/../../fixture/1\"}"),
        json(put("/api/v1/models/{name}", ".."), "{\"version\":\"1\"}"),
        json(put("/api/v1/models/{name}", ".hidden"), "{\"version\":\"1\"}"),
        json(put("/api/v1/models/{name}", "a".repeat(101)), "{\"version\":\"1\"}"),
        delete("/api/v1/models/{name}/versions/{version}", "fixture", ".."),
        delete("/api/v1/models/{name}/versions/{version}", "..", "fixture"),
        json(put("/api/v1/models/linear-ar"), "{\"version\": 1e999999999}"),
        json(put("/api/v1/models/linear-ar"), "{\"version\": {\"a\": [[[[[[[[[[1]]]]]]]]]]}}"),
        json(put("/api/v1/models/linear-ar"), "[1, 2, 3]"),
        json(put("/api/v1/models/linear-ar"), "{\"version\": \"lags-96\""),
        json(put("/api/v1/models/linear-ar"), ""),
        json(post("/api/v1/models/linear-ar/versions"), "{\"kind\":\"linear-ar\",\"options\":{\"lags\":\"99999999999\"}}"),
        json(post("/api/v1/models/linear-ar/versions"), "{\"kind\":\"linear-ar\",\"options\":{\"lags\":\"-3\"}}"),
        json(post("/api/v1/models/linear-ar/versions"), "{\"kind\":\"../linear-ar\"}"),
        put("/api/v1/models/linear-ar").contentType(MediaType.TEXT_PLAIN).content("lags-96"),
        put("/api/v1/models/linear-ar").contentType(MediaType.APPLICATION_XML).content("<version>lags-96</version>"),
        put("/api/v1/models/linear-ar").contentType(MediaType.APPLICATION_JSON).content(new byte[2_000_000])));
    for (MockHttpServletRequestBuilder call : hostile) {
      mvc.perform(call.header("X-API-Key", "right-key"))
          .andExpect(status().is4xxClientError())
          .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }
    assertThat(state()).isEqualTo(before);
  }

  /** Every name, its active version, and its versions with their state. */
  private List<String> state() {
    List<String> state = new ArrayList<>();
    for (String name : registry.names()) {
      state.add(name + " active " + registry.active(name).version());
      registry.versions(name).stream().map(ModelVersion::toString).forEach(state::add);
    }
    return state;
  }
}

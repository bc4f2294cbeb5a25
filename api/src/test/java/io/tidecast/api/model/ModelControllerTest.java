package io.tidecast.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.tidecast.api.TestModels;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@WebMvcTest(controllers = ModelController.class, properties = "tidecast.api.key=right-key")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
@Import(TestModels.Beans.class)
class ModelControllerTest {

  @Autowired
  MockMvc mvc;

  @Autowired
  ModelRegistry registry;

  private static MockHttpServletRequestBuilder keyed(MockHttpServletRequestBuilder request) {
    return request.header("X-API-Key", "right-key");
  }

  @Test
  void listsModelsWithTheirActiveVersion() throws Exception {
    mvc.perform(get("/api/v1/models"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$[?(@.name == 'linear-ar')].activeVersion").value("lags-96"))
        .andExpect(jsonPath("$[?(@.name == 'fixture')].versions").value(3));
  }

  @Test
  void detailsListSavedAndTrainedVersionsWithTheirProblems() throws Exception {
    mvc.perform(get("/api/v1/models/fixture"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.active.version").value("lags-96"))
        .andExpect(jsonPath("$.versions[?(@.version == '1')].source").value("saved"))
        .andExpect(jsonPath("$.versions[?(@.version == '1')].details.kind").value("informer"))
        .andExpect(jsonPath("$.versions[?(@.version == '1')].details.metrics").exists());
    mvc.perform(get("/api/v1/models/fixture/versions/lags-96"))
        .andExpect(status().isOk()).andExpect(jsonPath("$.active").value(true));
  }

  @Test
  void unknownModelsAndVersionsAre404Problems() throws Exception {
    mvc.perform(get("/api/v1/models/nothing"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("no model named 'nothing'")));
    mvc.perform(keyed(put("/api/v1/models/linear-ar")).contentType(MediaType.APPLICATION_JSON)
            .content("{\"version\": \"7\"}"))
        .andExpect(status().isNotFound());
  }

  @Test
  void trainsAndActivatesANewVersion() throws Exception {
    mvc.perform(keyed(post("/api/v1/models/linear-ar/versions")).contentType(MediaType.APPLICATION_JSON)
            .content("{\"kind\": \"linear-ar\", \"options\": {\"lags\": \"24\"}}"))
        .andExpect(status().isCreated())
        .andExpect(header().string("Location", "/api/v1/models/linear-ar/versions/lags-24"))
        .andExpect(jsonPath("$.active").value(false));
    assertThat(registry.forModel("linear-ar").id().version()).isEqualTo("lags-96");

    mvc.perform(keyed(put("/api/v1/models/linear-ar")).contentType(MediaType.APPLICATION_JSON)
            .content("{\"version\": \"lags-24\"}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.version").value("lags-24"))
        .andExpect(jsonPath("$.active").value(true));
    assertThat(registry.forModel("linear-ar").id().version()).isEqualTo("lags-24");

    mvc.perform(keyed(delete("/api/v1/models/linear-ar/versions/lags-24")))
        .andExpect(status().isConflict());
    mvc.perform(keyed(delete("/api/v1/models/linear-ar/versions/lags-96")))
        .andExpect(status().isNoContent());
    mvc.perform(get("/api/v1/models/linear-ar/versions/lags-96")).andExpect(status().isNotFound());
  }

  @Test
  void aCheckpointThatFailsToLoadOrDoesNotFitIsRefusedAndTheOldVersionKeepsServing() throws Exception {
    mvc.perform(keyed(put("/api/v1/models/fixture")).contentType(MediaType.APPLICATION_JSON)
            .content("{\"version\": \"2\"}"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("SHA-256")));
    mvc.perform(keyed(put("/api/v1/models/fixture")).contentType(MediaType.APPLICATION_JSON)
            .content("{\"version\": \"1\"}"))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("keeps serving")));
    assertThat(registry.forModel("fixture").id().version()).isEqualTo("lags-96");
    mvc.perform(get("/api/v1/models/fixture")).andExpect(jsonPath("$.active.version").value("lags-96"));
  }

  @Test
  void trainingRefusesUnknownKindsAndOptions() throws Exception {
    mvc.perform(keyed(post("/api/v1/models/linear-ar/versions")).contentType(MediaType.APPLICATION_JSON)
            .content("{\"kind\": \"oracle\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("unknown model kind 'oracle'")));
    mvc.perform(keyed(post("/api/v1/models/linear-ar/versions")).contentType(MediaType.APPLICATION_JSON)
            .content("{\"kind\": \"linear-ar\", \"options\": {\"depth\": \"3\"}}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("no option")));
    mvc.perform(keyed(post("/api/v1/models/linear-ar/versions")).contentType(MediaType.APPLICATION_JSON)
            .content("{}"))
        .andExpect(status().isBadRequest());
  }
}

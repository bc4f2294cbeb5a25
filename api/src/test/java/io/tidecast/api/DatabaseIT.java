package io.tidecast.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole service storing into a database of its own on the real PostgreSQL server: past
 * forecasts over HTTP, and every query of the provisioned Grafana dashboards run against what the
 * run stored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"tidecast.fleet.sensors=4", "tidecast.fleet.rate=80"})
class DatabaseIT extends RunningService {

  static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
  static final String NAME = "tidecast_api_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  static final Path GRAFANA = Path.of("..", "deploy", "grafana");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("tidecast.database.enabled", () -> "true");
    registry.add("tidecast.database.url", () -> SERVER + NAME);
    registry.add("tidecast.database.user", () -> "postgres");
  }

  @BeforeAll
  static void createDatabase() throws SQLException {
    admin("CREATE DATABASE " + NAME);
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    admin("DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)");
  }

  private static void admin(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", null);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(SERVER + NAME, "postgres", null);
  }

  private long count(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Waits until forecasts of sensor-0 with intervals have been scored against actuals in the database. */
  private void awaitScoredIntervals() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    // the series the queries ask for (the writer reads each partition at its own pace)
    while (count("SELECT count(*) FROM forecast_errors WHERE series = 'sensor-0' AND channel = 'OT' "
        + "AND covered IS NOT NULL AND step = 24") < 20 && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
  }

  @Test
  void pastForecastsComeBackFromTheDatabaseOverHttp() throws Exception {
    awaitScoredIntervals();
    HttpResponse<String> response = ServiceTestSupport.get(
        "http://localhost:" + port + "/api/v1/series/sensor-0/forecasts?limit=3");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode past = JSON.readTree(response.body());
    assertThat(past).hasSize(3);
    assertThat(past.get(2).path("issuedAt").asString()).isGreaterThan(past.get(0).path("issuedAt").asString());
    assertThat(past.get(2).path("steps")).hasSize(24);
    assertThat(past.get(2).path("steps").get(0).path("lower").path("OT").isNumber()).isTrue();
    assertThat(past.get(2).path("model").path("name").asString()).isEqualTo("linear-ar");
    HttpResponse<String> health = ServiceTestSupport.get("http://localhost:" + port + "/actuator/health");
    assertThat(JSON.readTree(health.body()).path("components").path("database").path("status").asString())
        .isEqualTo("UP");
  }

  @Test
  void everyDashboardQueryReturnsRowsFromTheStoredRun() throws Exception {
    awaitScoredIntervals();
    List<Path> dashboards;
    try (Stream<Path> files = Files.list(GRAFANA.resolve("dashboards"))) {
      dashboards = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(dashboards).hasSizeGreaterThanOrEqualTo(2);
    String metrics = ServiceTestSupport.get("http://localhost:" + port + "/actuator/prometheus").body();
    int sqlQueries = 0;
    int promQueries = 0;
    for (Path file : dashboards) {
      JsonNode dashboard = JSON.readTree(file.toFile());
      assertThat(dashboard.path("uid").asString()).as(file.toString()).isNotBlank();
      assertThat(dashboard.path("title").asString()).isNotBlank();
      Map<String, String> variables = Map.of("series", "sensor-0", "channel", "OT");
      for (JsonNode variable : dashboard.path("templating").path("list")) {
        assertThat(rows(substitute(variable.path("query").asString(), variables)))
            .as("variable %s of %s", variable.path("name").asString(), file).isPositive();
        sqlQueries++;
      }
      assertThat(dashboard.path("panels")).isNotEmpty();
      for (JsonNode panel : dashboard.path("panels")) {
        assertThat(panel.path("targets")).as(panel.path("title").asString()).isNotEmpty();
        for (JsonNode target : panel.path("targets")) {
          if (target.has("rawSql")) {
            String sql = substitute(target.path("rawSql").asString(), variables);
            assertThat(rows(sql)).as("%s: %s", panel.path("title").asString(), sql).isPositive();
            sqlQueries++;
          } else {
            for (String metric : metricNames(target.path("expr").asString())) {
              assertThat(metrics).as("%s: %s", panel.path("title").asString(), metric).contains(metric);
            }
            promQueries++;
          }
        }
      }
    }
    System.out.printf("dashboards: %d SQL queries and %d Prometheus queries checked%n", sqlQueries, promQueries);
    assertThat(sqlQueries).isGreaterThanOrEqualTo(8);
  }

  @Test
  void provisioningFilesAreValidForGrafana() throws IOException {
    Yaml yaml = new Yaml();
    Map<String, Object> datasources = yaml.load(Files.readString(
        GRAFANA.resolve("provisioning/datasources/tidecast.yaml")));
    assertThat(datasources.get("apiVersion")).isEqualTo(1);
    List<Map<String, Object>> list = list(datasources.get("datasources"));
    assertThat(list).extracting(d -> d.get("uid")).containsExactlyInAnyOrder("tidecast-db", "tidecast-prometheus");
    for (Map<String, Object> d : list) {
      assertThat(d).containsKeys("name", "type", "url", "access");
    }
    Map<String, Object> providers = yaml.load(Files.readString(
        GRAFANA.resolve("provisioning/dashboards/tidecast.yaml")));
    assertThat(providers.get("apiVersion")).isEqualTo(1);
    for (Map<String, Object> p : list(providers.get("providers"))) {
      assertThat(p).containsKeys("name", "type", "options");
      assertThat(p.get("type")).isEqualTo("file");
    }
    // every panel's datasource is one of those provisioned
    try (Stream<Path> files = Files.list(GRAFANA.resolve("dashboards"))) {
      for (Path file : files.toList()) {
        for (JsonNode panel : JSON.readTree(file.toFile()).path("panels")) {
          for (JsonNode target : panel.path("targets")) {
            assertThat(target.path("datasource").path("uid").asString()).isIn("tidecast-db", "tidecast-prometheus");
          }
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object value) {
    return (List<Map<String, Object>>) value;
  }

  /** Grafana's macros and the dashboard variables, as Grafana's PostgreSQL datasource expands them. */
  static String substitute(String sql, Map<String, String> variables) {
    String out = sql.replaceAll("\\$__timeFilter\\(([^)]+)\\)",
        "$1 BETWEEN '2000-01-01T00:00:00Z' AND '2100-01-01T00:00:00Z'");
    out = out.replaceAll("\\$__timeGroupAlias\\(([^,]+), '1h'\\)",
        "to_timestamp(floor(extract(epoch FROM $1) / 3600) * 3600) AS \"time\"");
    for (Map.Entry<String, String> v : variables.entrySet()) {
      out = out.replace("$" + v.getKey(), v.getValue());
    }
    assertThat(out).as("an unexpanded macro or variable").doesNotContain("$");
    return out;
  }

  private int rows(String sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      int n = 0;
      while (r.next()) {
        n++;
      }
      return n;
    }
  }

  private static List<String> metricNames(String expr) {
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("\\b(tidecast_[a-z_]+|kafka_[a-z_]+)\\b").matcher(expr);
    while (m.find()) {
      names.add(m.group(1));
    }
    assertThat(names).as(expr).isNotEmpty();
    return names;
  }
}

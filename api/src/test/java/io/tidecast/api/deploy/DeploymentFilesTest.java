package io.tidecast.api.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The files that deploy the service, checked for structure: the compose file's services and the
 * paths it mounts, the Kubernetes objects and the references between them, the Dockerfile's jar.
 */
class DeploymentFilesTest {

  static final Path DEPLOY = Path.of("..", "deploy");
  static final Set<String> APP_PREFIXES = Set.of("tidecast.", "kafka.");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  private static Object at(Object root, String... path) {
    Object node = root;
    for (String key : path) {
      assertThat(node).as("%s in %s", key, String.join(".", path)).isInstanceOf(Map.class);
      node = map(node).get(key);
      assertThat(node).as("%s present", String.join(".", path)).isNotNull();
    }
    return node;
  }

  @Test
  void composeRunsKafkaTimescaleTheAppPrometheusAndGrafana() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(DEPLOY.resolve("docker-compose.yml")));
    Map<String, Object> services = map(compose.get("services"));
    assertThat(services).containsOnlyKeys("kafka", "timescaledb", "app", "prometheus", "grafana");
    Map<String, Object> kafka = map(at(services, "kafka", "environment"));
    assertThat(kafka).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
        .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
        .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");
    assertThat(String.valueOf(at(services, "timescaledb", "image"))).startsWith("timescale/timescaledb");
    for (Object arg : list(at(services, "app", "command"))) {
      assertAppSetting(String.valueOf(arg));
    }
    assertThat(String.valueOf(at(services, "app", "build", "dockerfile"))).isEqualTo("deploy/Dockerfile");
    for (String service : List.of("grafana", "prometheus")) {
      for (Object volume : list(at(services, service, "volumes"))) {
        Path local = DEPLOY.resolve(String.valueOf(volume).split(":")[0]);
        assertThat(local).as("%s mounts %s", service, volume).exists();
      }
    }
    assertThat(Files.readString(DEPLOY.resolve("prometheus/prometheus.yml"))).contains("/actuator/prometheus", "app:8080");
  }

  private static void assertAppSetting(String arg) {
    assertThat(arg).as("an app setting").startsWith("--").contains("=");
    String name = arg.substring(2, arg.indexOf('='));
    assertThat(APP_PREFIXES.stream().anyMatch(name::startsWith)).as(name).isTrue();
  }

  @Test
  void composeValidatesWithTheDockerComposeClient() throws Exception {
    Path client = Path.of("/usr/bin/docker-compose");
    Assumptions.assumeTrue(Files.isExecutable(client), "docker-compose is not installed");
    ProcessBuilder check = new ProcessBuilder(client.toString(), "-f", "docker-compose.yml", "config", "-q")
        .directory(DEPLOY.toFile()).redirectErrorStream(true);
    check.environment().put("TIDECAST_API_KEY", "key");
    check.environment().put("TIDECAST_DB_PASSWORD", "password");
    Process ok = check.start();
    assertThat(ok.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(ok.exitValue()).as(new String(ok.getInputStream().readAllBytes())).isZero();
    // no default key: without one the file is refused
    check.environment().remove("TIDECAST_API_KEY");
    Process refused = check.start();
    assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(refused.exitValue()).isNotZero();
  }

  @Test
  void kubernetesObjectsAreCompleteAndReferToEachOther() throws IOException {
    List<Map<String, Object>> objects = new ArrayList<>();
    try (var files = Files.list(DEPLOY.resolve("k8s"))) {
      for (Path file : files.sorted().toList()) {
        for (Object doc : new Yaml().loadAll(Files.readString(file))) {
          objects.add(map(doc));
        }
      }
    }
    for (Map<String, Object> o : objects) {
      assertThat(o).containsKeys("apiVersion", "kind", "metadata");
      assertThat(map(o.get("metadata"))).containsKey("name");
    }
    Map<String, Object> set = one(objects, "StatefulSet");
    assertThat(set.get("apiVersion")).isEqualTo("apps/v1");
    Map<String, Object> spec = map(set.get("spec"));
    assertThat((Integer) spec.get("replicas")).isGreaterThanOrEqualTo(2);
    Map<String, Object> labels = map(at(spec, "template", "metadata", "labels"));
    assertThat(labels).containsAllEntriesOf(map(at(spec, "selector", "matchLabels")));
    String headless = String.valueOf(spec.get("serviceName"));
    Map<String, Object> container = map(list(at(spec, "template", "spec", "containers")).get(0));
    Set<String> ports = new HashSet<>();
    list(container.get("ports")).forEach(p -> ports.add(String.valueOf(map(p).get("name"))));
    assertThat(ports).contains("http", "query");
    assertThat(String.valueOf(at(container, "readinessProbe", "httpGet", "path"))).isEqualTo("/actuator/health/readiness");
    assertThat(String.valueOf(at(container, "livenessProbe", "httpGet", "path"))).isEqualTo("/actuator/health/liveness");
    assertThat(list(spec.get("volumeClaimTemplates"))).isNotEmpty();

    Set<String> env = new HashSet<>();
    Map<String, Object> config = objects.stream().filter(o -> o.get("kind").equals("ConfigMap")).findFirst().orElseThrow();
    for (Object e : list(container.get("env"))) {
      Map<String, Object> var = map(e);
      env.add(String.valueOf(var.get("name")));
      Object from = var.get("valueFrom");
      if (from != null && map(from).containsKey("configMapKeyRef")) {
        Map<String, Object> ref = map(map(from).get("configMapKeyRef"));
        assertThat(ref.get("name")).isEqualTo(map(config.get("metadata")).get("name"));
        assertThat(map(config.get("data"))).containsKey(String.valueOf(ref.get("key")));
      }
    }
    Pattern reference = Pattern.compile("\\$\\(([A-Z_]+)\\)");
    for (Object arg : list(container.get("args"))) {
      assertAppSetting(String.valueOf(arg));
      Matcher m = reference.matcher(String.valueOf(arg));
      while (m.find()) {
        assertThat(env).as("%s refers to $(%s)", arg, m.group(1)).contains(m.group(1));
      }
    }
    boolean headlessFound = false;
    for (Map<String, Object> service : objects.stream().filter(o -> o.get("kind").equals("Service")).toList()) {
      Map<String, Object> serviceSpec = map(service.get("spec"));
      assertThat(labels).containsAllEntriesOf(map(serviceSpec.get("selector")));
      for (Object port : list(serviceSpec.get("ports"))) {
        assertThat(ports).contains(String.valueOf(map(port).get("targetPort")));
      }
      if (map(service.get("metadata")).get("name").equals(headless)) {
        assertThat(serviceSpec.get("clusterIP")).isEqualTo("None");
        headlessFound = true;
      }
    }
    assertThat(headlessFound).as("the headless service " + headless).isTrue();
  }

  private static Map<String, Object> one(List<Map<String, Object>> objects, String kind) {
    List<Map<String, Object>> found = objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  @Test
  void theDockerfileCopiesTheJarTheBuildMakes() throws IOException {
    String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
    assertThat(dockerfile).contains("COPY api/target/tidecast.jar");
    assertThat(Files.readString(Path.of("pom.xml"))).contains("<finalName>tidecast</finalName>");
  }
}

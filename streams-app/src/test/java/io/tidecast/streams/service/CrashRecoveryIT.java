package io.tidecast.streams.service;

import static io.tidecast.streams.KafkaTestSupport.countByKeyAndTime;
import static io.tidecast.streams.KafkaTestSupport.key;
import static io.tidecast.streams.KafkaTestSupport.reading;
import static io.tidecast.streams.KafkaTestSupport.readCommitted;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.streams.KafkaTestSupport;
import io.tidecast.streams.broker.EmbeddedKafkaBroker;
import io.tidecast.streams.cli.StreamsCommand;
import io.tidecast.streams.config.Topics;
import io.tidecast.streams.sim.Fleet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real crash: the streams instance runs in its own JVM and is killed with SIGKILL mid-run, then
 * started again. A read-committed consumer must then see every expected forecast exactly once:
 * with a window model, and with the LMUFormer, whose per-series states the restarted instance
 * resumes from store copies a few readings old.
 */
@Tag("integration")
class CrashRecoveryIT {

  private static final int SERIES = 100;
  private static final int STEPS = 1000;
  private static final int INPUT = 24;
  private static final long FIRST_STEP = FleetModels.TRAINING_ROWS;
  private static final Pattern VERSION = Pattern.compile("\"version\":\"([^\"]+)\"");

  private final Path dir = KafkaTestSupport.tempDir("tidecast-crash");
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    KafkaTestSupport.delete(dir);
  }

  @ParameterizedTest
  @ValueSource(strings = {"seasonal-naive", "lmuformer"})
  void killedWithSigkillAndRestartedTheInstanceLosesAndDuplicatesNoForecast(String model) throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
      String bootstrap = broker.bootstrapServers();
      StreamsService.createTopics(bootstrap, KafkaTestSupport.config(bootstrap, dir, "x", 0));
      Process first = startInstance(bootstrap, model);

      Thread producing = new Thread(() -> produceAll(bootstrap));
      producing.start();
      // Let it get well into the run, then crash it.
      List<ConsumerRecord<byte[], byte[]>> before = readCommitted(bootstrap, Topics.DEFAULT.forecasts(),
          r -> r.size() >= 15_000, Duration.ofSeconds(120));
      assertThat(before.size()).as("forecasts before the crash").isGreaterThanOrEqualTo(15_000);
      first.destroyForcibly(); // SIGKILL
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(first.exitValue()).isEqualTo(137);

      startInstance(bootstrap, model);
      producing.join();

      int expected = SERIES * (STEPS - INPUT + 1);
      // Read until the expected count, then a few seconds more so that any duplicate would show.
      List<ConsumerRecord<byte[], byte[]>> all = readCommitted(bootstrap, Topics.DEFAULT.forecasts(),
          r -> r.size() >= expected, Duration.ofSeconds(180), Duration.ofSeconds(5));

      assertThat(all.size()).as("forecasts, read committed").isEqualTo(expected);
      Map<String, Integer> counts = countByKeyAndTime(all);
      assertThat(counts.values()).containsOnly(1);
      Set<String> wanted = new HashSet<>();
      for (int s = 0; s < SERIES; s++) {
        for (int t = INPUT - 1; t < STEPS; t++) {
          wanted.add(Fleet.sensorId(s) + "@" + FleetModels.FLEET.time(FIRST_STEP + t));
        }
      }
      assertThat(counts.keySet()).isEqualTo(wanted);
      ConsumerRecord<byte[], byte[]> one = all.get(0);
      String json = new String(one.value(), StandardCharsets.UTF_8);
      assertThat(json).contains("\"issuedAt\":\"" + Instant.ofEpochMilli(one.timestamp()) + "\"")
          .contains("\"name\":\"" + model + "\"");
      // the restarted instance serves the same model version, so the LMUFormer's stored states are
      // its own and are resumed, not rebuilt from windows
      Set<String> versions = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> r : all) {
        Matcher m = VERSION.matcher(new String(r.value(), StandardCharsets.UTF_8));
        assertThat(m.find()).isTrue();
        versions.add(m.group(1));
      }
      assertThat(versions).hasSize(1);
    }
  }

  private void produceAll(String bootstrap) {
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(bootstrap)) {
      for (int t = 0; t < STEPS; t++) {
        for (int s = 0; s < SERIES; s++) {
          producer.send(new ProducerRecord<>(Topics.DEFAULT.readings(), key(s),
              reading(FleetModels.FLEET, s, FIRST_STEP + t)));
        }
        if (t % 50 == 0) {
          Thread.sleep(200); // about 20,000 readings/s at most: the run lasts long enough to crash in
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts {@code tidecast-streams run} in a new JVM and waits until it says it is running. */
  private Process startInstance(String bootstrap, String model) throws IOException, InterruptedException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", classpath, StreamsCommand.class.getName(), "run", "--no-fleet",
        "--bootstrap-servers", bootstrap, "--data-dir", dir.resolve("app").toString(),
        "--instance-id", "crash-1", "--query-port", "0", "--model", model,
        "--input", Integer.toString(INPUT), "--horizon", "24",
        "-D", "kafka.consumer.session.timeout.ms=10000"));
    if (model.equals("lmuformer")) {
      // A small LMUFormer, trained briefly at start (dropout included); each start trains the
      // same one (same version, checked below), so the restarted instance resumes the stored states.
      command.addAll(List.of("-D", "tidecast.model.option.d-model=16", "-D", "tidecast.model.option.order=8",
          "-D", "tidecast.model.option.epochs=1", "-D", "tidecast.model.option.max-steps=10"));
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Process process = builder.start();
    processes.add(process);
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("Tidecast streams running")) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
        drain.setDaemon(true);
        drain.start();
        return process;
      }
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    throw new IllegalStateException("the streams instance did not start; exit " + (process.isAlive() ? "-" : process.exitValue()));
  }
}

package io.tidecast.streams.cli;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.ForecastStep;
import io.tidecast.forecaster.Forecaster;
import io.tidecast.forecaster.ForecasterSpec;
import io.tidecast.forecaster.ModelId;
import io.tidecast.forecaster.NativeThreads;
import io.tidecast.forecaster.SeriesWindow;
import io.tidecast.streams.broker.EmbeddedKafkaBroker;
import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.service.FleetModels;
import io.tidecast.streams.service.StreamsService;
import io.tidecast.streams.sim.Fleet;
import io.tidecast.streams.sim.Pacer;
import io.tidecast.streams.message.ReadingJson;
import io.tidecast.streams.topology.ModelRouter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: N series, M readings each, through the real (embedded) broker and the full topology
 * with exactly-once on. For the model under test and for a no-op model, in one run: readings/s and
 * forecasts/s at full speed, then produce-to-forecast latency percentiles at half the measured
 * rate. Each pass uses fresh topics and a fresh application id; the first window of every series is
 * sent before timing starts.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Throughput and latency of the topology through a real broker, model vs no-op model.")
final class BenchCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--series", defaultValue = "1000", description = "Default: ${DEFAULT-VALUE}.")
  int series;

  @Option(names = "--readings", defaultValue = "100", description = "Timed readings per series. Default: ${DEFAULT-VALUE}.")
  int readings;

  @Option(names = "--model", defaultValue = "linear-ar", description = "Model kind. Default: ${DEFAULT-VALUE}.")
  String model;

  @Option(names = "--input", defaultValue = "96", description = "Default: ${DEFAULT-VALUE}.")
  int input;

  @Option(names = "--horizon", defaultValue = "24", description = "Default: ${DEFAULT-VALUE}.")
  int horizon;

  @Option(names = "--hop", defaultValue = "1", description = "Readings between forecasts. Default: ${DEFAULT-VALUE}.")
  int hop;

  @Option(names = "--commit-interval-ms", defaultValue = "100", description = "Default: ${DEFAULT-VALUE}.")
  int commitInterval;

  @Option(names = "--warm-up-readings", defaultValue = "100",
      description = "Readings per series of the untimed first pass (every series), so that the timed passes run "
          + "compiled code. Default: ${DEFAULT-VALUE}.")
  int warmUpReadings;

  @Option(names = "--rounds", defaultValue = "1",
      description = "Rounds of the model's and the no-op model's passes, each printed. Default: ${DEFAULT-VALUE}.")
  int rounds;

  @Option(names = "--skip-latency", description = "Only the full-speed passes.")
  boolean skipLatency;

  @Option(names = {"-D", "--set"}, description = "Any tidecast.* or kafka.* property for the service, key=value.")
  Map<String, String> set = new java.util.HashMap<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (ScratchDirectory scratch = new ScratchDirectory("tidecast-bench");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(scratch.path().resolve("kafka"))) {
      Path dir = scratch.path();
      out.printf(Locale.ROOT, "bench: %d series x %d readings, %d channels, model %s (input %d, horizon %d, hop %d), "
          + "exactly_once_v2, commit interval %d ms, %d cores%n", series, readings, Fleet.CHANNELS.size(), model, input,
          horizon, hop, commitInterval, Runtime.getRuntime().availableProcessors());
      out.println("stream us/r, process us/r: CPU time of the stream threads and of the whole process per timed reading; "
          + "JIT s: time the JIT compiler spent during the timed pass");
      int pass = 0;
      // An untimed pass first, so that neither measured pass pays for class loading and JIT warm-up.
      ServiceConfig warmUp = config(broker, dir, model, ++pass);
      warmUp.applyNativeThreads();
      out.printf("native math threads: %d (tidecast.native-threads %d, OMP_NUM_THREADS %s)%n",
          NativeThreads.current(), warmUp.nativeThreads(), System.getenv("OMP_NUM_THREADS"));
      out.printf("%-10s %-11s %12s %12s %10s %10s %10s %10s %12s %12s %6s%n", "model", "pass", "readings/s",
          "forecasts/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "stream us/r", "process us/r", "JIT s");
      // trained once: a pass's router depends only on the model settings, the same in every pass
      ModelRouter trained = FleetModels.train(warmUp);
      runPass(broker, warmUp, trained, 0, series, warmUpReadings);
      for (int round = 1; round <= rounds; round++) {
        for (String kind : List.of(model, "no-op")) {
          ServiceConfig config = config(broker, dir, model, ++pass);
          ModelRouter router = trained;
          if (kind.equals("no-op")) {
            Forecaster noop = new NoOp(trained.forModel(config.modelKind()).spec());
            router = name -> noop;
          }
          Result full = runPass(broker, config, router, 0, series, readings);
          report(out, kind, "full speed", full, false);
          if (!skipLatency) {
            Result half = runPass(broker, config(broker, dir, config.modelKind(), ++pass), router,
                full.readingsPerSecond / 2, series, readings);
            report(out, kind, "half rate", half, true);
          }
        }
      }
    }
    return 0;
  }

  private ServiceConfig config(EmbeddedKafkaBroker broker, Path dir, String kind, int pass) {
    Properties p = new Properties();
    p.setProperty("tidecast.bootstrap-servers", broker.bootstrapServers());
    p.setProperty("tidecast.data-dir", dir.resolve("pass-" + pass).toString());
    p.setProperty("tidecast.application-id", "bench-" + pass);
    p.setProperty("tidecast.instance-id", "bench-" + pass);
    p.setProperty("tidecast.query.port", "0");
    p.setProperty("tidecast.model.kind", kind);
    p.setProperty("tidecast.model.input", Integer.toString(input));
    p.setProperty("tidecast.model.horizon", Integer.toString(horizon));
    p.setProperty("tidecast.series.hop", Integer.toString(hop));
    p.setProperty("tidecast.topics.readings", "bench-" + pass + ".readings");
    p.setProperty("tidecast.topics.forecasts", "bench-" + pass + ".forecasts");
    p.setProperty("tidecast.topics.dead-letters", "bench-" + pass + ".dlq");
    p.setProperty("kafka.commit.interval.ms", Integer.toString(commitInterval));
    p.putAll(set);
    return ServiceConfig.from(p);
  }

  /**
   * A pass's figures; {@code streamCpuPerReading} is the CPU time of the stream threads and
   * {@code processCpuPerReading} that of the whole process (broker, clients and collector included)
   * per timed reading, in microseconds: less sensitive than rates to what else the host runs.
   */
  private record Result(double readingsPerSecond, double forecastsPerSecond, Histogram latency,
      double streamCpuPerReading, double processCpuPerReading, double jitSeconds) {}

  private Result runPass(EmbeddedKafkaBroker broker, ServiceConfig config, ModelRouter router, double rate,
      int series, int readings) throws Exception {
    try {
      return timedPass(broker, config, router, rate, series, readings);
    } finally {
      deleteTopics(broker, config.applicationId());
    }
  }

  /**
   * Deletes a finished pass's topics (its own and Kafka Streams' internal ones), so that the
   * broker's log cleaner and disk do not keep working for passes that are over.
   */
  private static void deleteTopics(EmbeddedKafkaBroker broker, String applicationId) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      List<String> topics = admin.listTopics().names().get().stream()
          .filter(t -> t.startsWith(applicationId + ".") || t.startsWith(applicationId + "-"))
          .toList();
      admin.deleteTopics(topics).all().get();
    }
  }

  private Result timedPass(EmbeddedKafkaBroker broker, ServiceConfig config, ModelRouter router, double rate,
      int series, int readings) throws Exception {
    Fleet fleet = FleetModels.FLEET;
    long first = FleetModels.TRAINING_ROWS;
    int warm = input;
    long[][] sentAt = new long[series][warm + readings];
    try (StreamsService service = StreamsService.start(config, router);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5,
            ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.ACKS_CONFIG, "all"),
            new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, config.applicationId() + "-reader",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(config.topics().forecasts()));
      // Warm-up: the first window of every series, untimed, until its forecasts are out.
      send(producer, config, fleet, first, 0, warm, sentAt, 0, series);
      long expectedWarm = warm >= input ? (long) series * ((warm - input) / hop + 1) : 0;
      drain(consumer, expectedWarm, first, fleet, null, sentAt, Duration.ofSeconds(120));
      long expected = (long) series * (readings / hop);
      Histogram latency = new Histogram(3_600_000_000_000L, 3); // up to an hour: a full-speed pass can lag far
      AtomicLong lastForecast = new AtomicLong();
      CpuTimes cpuBefore = CpuTimes.now();
      long started = System.nanoTime();
      Thread producerThread = new Thread(() -> {
        try {
          send(producer, config, fleet, first, warm, warm + readings, sentAt, rate, series);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      producerThread.start();
      long received = drain(consumer, expected, first, fleet, latency, sentAt, Duration.ofSeconds(600));
      lastForecast.set(System.nanoTime());
      producerThread.join();
      CpuTimes cpuAfter = CpuTimes.now();
      double seconds = (lastForecast.get() - started) / 1e9;
      if (received < expected) {
        throw new IllegalStateException("only " + received + " of " + expected + " forecasts arrived");
      }
      double timed = (double) series * readings;
      return new Result(timed / seconds, received / seconds, latency,
          cpuAfter.streamThreadsSince(cpuBefore) / 1e3 / timed, (cpuAfter.process - cpuBefore.process) / 1e3 / timed,
          (cpuAfter.jitMillis - cpuBefore.jitMillis) / 1e3);
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, ServiceConfig config, Fleet fleet, long first,
      int fromStep, int toStep, long[][] sentAt, double rate, int series) throws InterruptedException {
    Pacer pacer = new Pacer(rate);
    for (int step = fromStep; step < toStep; step++) {
      Instant ts = fleet.time(first + step);
      for (int s = 0; s < series; s++) {
        String id = Fleet.sensorId(s);
        sentAt[s][step] = System.nanoTime();
        producer.send(new ProducerRecord<>(config.topics().readings(), id.getBytes(StandardCharsets.UTF_8),
            ReadingJson.write(id, ts, Fleet.CHANNELS, fleet.values(s, first + step))));
        pacer.pace();
      }
    }
    producer.flush();
  }

  private long drain(KafkaConsumer<String, byte[]> consumer, long expected, long first, Fleet fleet,
      Histogram latency, long[][] sentAt, Duration timeout) {
    long received = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    long stepMillis = fleet.time(1).toEpochMilli() - fleet.time(0).toEpochMilli();
    long base = fleet.time(first).toEpochMilli();
    while (received < expected && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        received++;
        if (latency != null) {
          int s = Integer.parseInt(record.key().substring("sensor-".length()));
          int step = (int) ((record.timestamp() - base) / stepMillis);
          latency.recordValue(Math.max(0, System.nanoTime() - sentAt[s][step]));
        }
      }
    }
    return received;
  }

  private static void report(PrintWriter out, String kind, String pass, Result r, boolean withLatency) {
    Histogram h = r.latency();
    out.printf(Locale.ROOT, "%-10s %-11s %12.0f %12.0f %10s %10s %10s %10s %12.1f %12.1f %6.1f%n", kind, pass,
        r.readingsPerSecond(), r.forecastsPerSecond(), ms(h, 50, withLatency), ms(h, 90, withLatency),
        ms(h, 99, withLatency), withLatency ? String.format(Locale.ROOT, "%.1f", h.getMaxValue() / 1e6) : "-",
        r.streamCpuPerReading(), r.processCpuPerReading(), r.jitSeconds());
    out.flush();
  }

  private static String ms(Histogram h, double percentile, boolean show) {
    return show ? String.format(Locale.ROOT, "%.1f", h.getValueAtPercentile(percentile) / 1e6) : "-";
  }

  /**
   * CPU time so far of the whole process and of each live stream thread, in nanoseconds, and the
   * JIT compiler's time in milliseconds (compilation still going on during a timed pass takes CPU
   * from everything else on a small machine).
   */
  private record CpuTimes(long process, Map<Long, Long> streamThreads, long jitMillis) {

    static CpuTimes now() {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Map<Long, Long> stream = new java.util.HashMap<>();
      for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info != null && info.getThreadName().contains("-StreamThread-")) {
          long cpu = threads.getThreadCpuTime(info.getThreadId());
          if (cpu >= 0) {
            stream.put(info.getThreadId(), cpu);
          }
        }
      }
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      return new CpuTimes(os.getProcessCpuTime(), stream, ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
    }

    /** CPU time of the stream threads between {@code before} and this (threads alive at both). */
    long streamThreadsSince(CpuTimes before) {
      long sum = 0;
      for (Map.Entry<Long, Long> e : streamThreads.entrySet()) {
        Long earlier = before.streamThreads.get(e.getKey());
        if (earlier != null) {
          sum += e.getValue() - earlier;
        }
      }
      return sum;
    }
  }

  /**
   * The same contract with no model work: each step repeats the window's last values, so forecasts
   * have the size of real ones and the topology's own ceiling is measured.
   */
  private static final class NoOp implements Forecaster {
    private final ForecasterSpec spec;

    NoOp(ForecasterSpec spec) {
      this.spec = spec;
    }

    @Override
    public ModelId id() {
      return new ModelId("no-op", "0");
    }

    @Override
    public ForecasterSpec spec() {
      return spec;
    }

    @Override
    public List<Forecast> forecast(List<SeriesWindow> windows) {
      List<Forecast> out = new ArrayList<>(windows.size());
      for (SeriesWindow w : windows) {
        double[] last = new double[spec.outputChannels().size()];
        for (int c = 0; c < last.length; c++) {
          last[c] = w.value(w.length() - 1, spec.inputChannels().indexOf(spec.outputChannels().get(c)));
        }
        List<ForecastStep> steps = new ArrayList<>(spec.horizon());
        for (int h = 1; h <= spec.horizon(); h++) {
          steps.add(ForecastStep.point(spec.frequency().plus(w.end(), h), last));
        }
        out.add(new Forecast(w.series(), w.end(), id(), spec.outputChannels(), steps));
      }
      return out;
    }
  }
}

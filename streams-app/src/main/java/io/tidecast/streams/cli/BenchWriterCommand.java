package io.tidecast.streams.cli;

import io.tidecast.forecaster.Forecast;
import io.tidecast.forecaster.ForecastStep;
import io.tidecast.forecaster.ModelId;
import io.tidecast.streams.broker.EmbeddedKafkaBroker;
import io.tidecast.streams.config.ServiceConfig;
import io.tidecast.streams.db.Database;
import io.tidecast.streams.db.DatabaseWriter;
import io.tidecast.streams.message.ForecastJson;
import io.tidecast.streams.message.ReadingJson;
import io.tidecast.streams.service.FleetModels;
import io.tidecast.streams.service.StreamsService;
import io.tidecast.streams.sim.Fleet;
import io.tidecast.streams.sim.Producers;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.postgresql.PGConnection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-writer}: rows per second the database writer stores, from the real (embedded) broker
 * into PostgreSQL with its batched upserts, against a plain {@code COPY} of the same forecast rows
 * into an empty table measured in the same run (the fastest way rows get into PostgreSQL). Uses a
 * database of its own, dropped at the end.
 */
@Command(name = "bench-writer", mixinStandardHelpOptions = true,
    description = "Rows/s of the database writer, against COPY in the same run.")
final class BenchWriterCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--series", defaultValue = "200", description = "Default: ${DEFAULT-VALUE}.")
  int series;

  @Option(names = "--forecasts", defaultValue = "50", description = "Forecasts per series. Default: ${DEFAULT-VALUE}.")
  int forecasts;

  @Option(names = "--horizon", defaultValue = "24", description = "Default: ${DEFAULT-VALUE}.")
  int horizon;

  @Option(names = "--server", defaultValue = "jdbc:postgresql://127.0.0.1:5432/",
      description = "PostgreSQL server; a database is made there and dropped. Default: ${DEFAULT-VALUE}.")
  String server;

  @Option(names = "--user", defaultValue = "postgres", description = "Default: ${DEFAULT-VALUE}.")
  String user;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String name = "tidecast_bench_" + System.currentTimeMillis();
    Database database = new Database(server + name, user, null);
    Database admin = new Database(server + "postgres", user, null);
    Path dir = Files.createTempDirectory("tidecast-bench-writer");
    List<String> channels = Fleet.CHANNELS;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
      database.createIfMissing();
      Properties p = new Properties();
      p.setProperty("tidecast.bootstrap-servers", broker.bootstrapServers());
      p.setProperty("tidecast.application-id", "bench-writer");
      ServiceConfig config = ServiceConfig.from(p);
      StreamsService.createTopics(broker.bootstrapServers(), config);
      int steps = forecasts + horizon;
      long readingRows = (long) series * steps * channels.size();
      long forecastRows = (long) series * forecasts * horizon * channels.size();
      List<byte[]> forecastJson = new ArrayList<>();
      try (KafkaProducer<byte[], byte[]> producer = Producers.readings(broker.bootstrapServers())) {
        for (int s = 0; s < series; s++) {
          String id = "bench-" + s;
          byte[] key = id.getBytes(StandardCharsets.UTF_8);
          for (int t = 0; t < steps; t++) {
            producer.send(new ProducerRecord<>(config.topics().readings(), key, ReadingJson.write(id,
                FleetModels.FLEET.time(t), channels, FleetModels.FLEET.values(s % 50, t))));
          }
          for (int f = 0; f < forecasts; f++) {
            byte[] json = ForecastJson.write(forecast(id, f, channels));
            forecastJson.add(json);
            producer.send(new ProducerRecord<>(config.topics().forecasts(), key, json));
          }
        }
      }
      out.printf(Locale.ROOT, "%d series: %d reading rows and %d forecast rows (%d forecasts of %d steps x %d channels)%n",
          series, readingRows, forecastRows, (long) series * forecasts, horizon, channels.size());

      long started = System.nanoTime();
      try (DatabaseWriter writer = DatabaseWriter.start(database, config, broker.bootstrapServers())) {
        while (writer.rowsWritten() < readingRows + forecastRows) {
          Thread.sleep(20);
        }
      }
      double writerSeconds = (System.nanoTime() - started) / 1e9;
      double copySeconds = copy(database, forecastJson);
      double writerRate = (readingRows + forecastRows) / writerSeconds;
      double copyRate = forecastRows / copySeconds;
      out.printf(Locale.ROOT, "writer (Kafka -> upsert, incl. schema): %,.0f rows/s (%.1f s), %,.0f forecasts/s of %d values%n",
          writerRate, writerSeconds, writerRate / (horizon * channels.size()), horizon * channels.size());
      out.printf(Locale.ROOT, "COPY of the forecast rows into an empty table: %,.0f rows/s (%.1f s)%n", copyRate, copySeconds);
      out.printf(Locale.ROOT, "writer / COPY: %.2f%n", writerRate / copyRate);
      out.flush();
    } finally {
      try (Connection c = admin.connect(); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    }
    return 0;
  }

  private Forecast forecast(String id, int f, List<String> channels) {
    Instant issued = FleetModels.FLEET.time(f + horizon - 1);
    List<ForecastStep> steps = new ArrayList<>();
    for (int h = 1; h <= horizon; h++) {
      double[] yhat = FleetModels.FLEET.values(0, f + horizon - 1 + h);
      double[] lower = new double[yhat.length];
      double[] upper = new double[yhat.length];
      for (int c = 0; c < yhat.length; c++) {
        lower[c] = yhat[c] - 1;
        upper[c] = yhat[c] + 1;
      }
      steps.add(new ForecastStep(FleetModels.FLEET.time(f + horizon - 1 + h), yhat, lower, upper));
    }
    return new Forecast(id, issued, new ModelId("bench", "1"), channels, steps);
  }

  /** COPY of the same forecast rows, as CSV built beforehand, into an empty table; seconds. */
  private static double copy(Database database, List<byte[]> forecasts) throws Exception {
    StringBuilder csv = new StringBuilder();
    for (byte[] json : forecasts) {
      var f = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json);
      int step = 0;
      for (var s : f.path("steps")) {
        step++;
        for (var yhat : s.path("yhat").properties()) {
          String c = yhat.getKey();
          csv.append(f.path("issuedAt").asString()).append(',').append(f.path("series").asString()).append(',')
              .append(c).append(',').append(s.path("ts").asString()).append(',').append(step).append(',')
              .append(yhat.getValue().asDouble()).append(',').append(s.path("lower").path(c).asDouble()).append(',')
              .append(s.path("upper").path(c).asDouble()).append(",bench,1\n");
        }
      }
    }
    try (Connection c = database.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE copy_target (LIKE forecasts INCLUDING ALL)");
      long started = System.nanoTime();
      c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY copy_target FROM STDIN (FORMAT csv)",
          new StringReader(csv.toString()));
      return (System.nanoTime() - started) / 1e9;
    }
  }
}

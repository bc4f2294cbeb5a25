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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
    List<String> channels = Fleet.CHANNELS;
    // everything sent must still be there when the writer starts: no size limit on the partitions
    Properties unbounded = new Properties();
    unbounded.setProperty("log.retention.bytes", "-1");
    try (ScratchDirectory scratch = new ScratchDirectory("tidecast-bench-writer");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(scratch.path().resolve("kafka"), 0, unbounded)) {
      database.createIfMissing();
      Properties p = new Properties();
      p.setProperty("tidecast.bootstrap-servers", broker.bootstrapServers());
      p.setProperty("tidecast.application-id", "bench-writer");
      ServiceConfig config = ServiceConfig.from(p);
      StreamsService.createTopics(broker.bootstrapServers(), config);
      int steps = forecasts + horizon;
      long readingRows = (long) series * steps * channels.size();
      long forecastRows = (long) series * forecasts * horizon * channels.size();
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
            producer.send(new ProducerRecord<>(config.topics().forecasts(), key, json));
          }
        }
      }
      out.printf(Locale.ROOT, "%d series: %d reading rows and %d forecast rows (%d forecasts of %d steps x %d channels)%n",
          series, readingRows, forecastRows, (long) series * forecasts, horizon, channels.size());

      long started = System.nanoTime();
      double inDatabase;
      try (DatabaseWriter writer = DatabaseWriter.start(database, config, broker.bootstrapServers())) {
        while (writer.rowsWritten() < readingRows + forecastRows) {
          Thread.sleep(20);
        }
        inDatabase = writer.writeSeconds();
      }
      double writerSeconds = (System.nanoTime() - started) / 1e9;
      double copySeconds = copy(database);
      long forecastCount = (long) series * forecasts;
      out.printf(Locale.ROOT, "writer (Kafka -> upsert, incl. schema): %.1f s: %,.0f forecasts/s (%,.0f values/s) "
          + "and %,.0f reading rows/s%n", writerSeconds, forecastCount / writerSeconds, forecastRows / writerSeconds,
          readingRows / writerSeconds);
      out.printf(Locale.ROOT, "  of which in database statements and commits: %.1f s%n", inDatabase);
      out.printf(Locale.ROOT, "COPY of the same rows into empty tables with the same indexes: %.1f s: %,.0f forecasts/s%n",
          copySeconds, forecastCount / copySeconds);
      out.printf(Locale.ROOT, "writer / COPY: %.2f%n", copySeconds / writerSeconds);
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

  /**
   * The rows the writer stored, copied out and then COPYed (the fastest bulk path) into empty
   * tables with the same columns and indexes; seconds for the COPY.
   */
  private static double copy(Database database) throws Exception {
    try (Connection c = database.connect(); Statement s = c.createStatement()) {
      var api = c.unwrap(PGConnection.class).getCopyAPI();
      ByteArrayOutputStream readings = new ByteArrayOutputStream();
      ByteArrayOutputStream forecasts = new ByteArrayOutputStream();
      api.copyOut("COPY readings TO STDOUT", readings);
      api.copyOut("COPY issued_forecasts TO STDOUT", forecasts);
      s.execute("CREATE TABLE copy_readings (LIKE readings INCLUDING ALL)");
      s.execute("CREATE TABLE copy_forecasts (LIKE issued_forecasts INCLUDING ALL)");
      long started = System.nanoTime();
      api.copyIn("COPY copy_readings FROM STDIN", new ByteArrayInputStream(readings.toByteArray()));
      api.copyIn("COPY copy_forecasts FROM STDIN", new ByteArrayInputStream(forecasts.toByteArray()));
      return (System.nanoTime() - started) / 1e9;
    }
  }
}

package io.tidecast.streams.cli;

import io.tidecast.forecaster.data.CsvSeries;
import io.tidecast.forecaster.data.TimeSeries;
import io.tidecast.streams.message.ReadingJson;
import io.tidecast.streams.sim.Pacer;
import io.tidecast.streams.sim.Producers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code replay}: sends the rows of a CSV series as readings of one series, in time order. */
@Command(name = "replay", mixinStandardHelpOptions = true, description = "Replay a CSV file as readings of one series.")
final class ReplayCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", description = "Default: ${DEFAULT-VALUE}.")
  String bootstrap;

  @Option(names = "--topic", defaultValue = "tidecast.readings", description = "Default: ${DEFAULT-VALUE}.")
  String topic;

  @Option(names = "--data", required = true, description = "CSV file: a time column and numeric columns.")
  Path data;

  @Option(names = "--time-column", description = "Name of the time column (default: the first).")
  String timeColumn;

  @Option(names = "--series", description = "Series id (default: the file name).")
  String series;

  @Option(names = "--rate", defaultValue = "0", description = "Rows per second; 0 for full speed. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--limit", defaultValue = "0", description = "Rows to send; 0 for all. Default: ${DEFAULT-VALUE}.")
  int limit;

  @Override
  public Integer call() throws InterruptedException {
    TimeSeries rows = CsvSeries.read(data, timeColumn, null);
    String id = series != null ? series : rows.name();
    byte[] key = id.getBytes(StandardCharsets.UTF_8);
    int count = limit > 0 ? Math.min(limit, rows.length()) : rows.length();
    Pacer pacer = new Pacer(rate);
    try (KafkaProducer<byte[], byte[]> producer =
        Producers.readings(bootstrap)) {
      for (int t = 0; t < count; t++) {
        producer.send(new ProducerRecord<>(topic, key,
            ReadingJson.write(id, rows.timestamps()[t], rows.channels(), rows.values()[t])));
        pacer.pace();
      }
    }
    spec.commandLine().getOut().printf("sent %d rows of %s as series %s to %s%n", count, data, id, topic);
    return 0;
  }
}

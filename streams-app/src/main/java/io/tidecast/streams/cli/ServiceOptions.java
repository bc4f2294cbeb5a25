package io.tidecast.streams.cli;

import io.tidecast.streams.config.ServiceConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The options every command that runs the service shares; they become {@code tidecast.*} properties. */
final class ServiceOptions {

  @Option(names = "--config", description = "A properties file of tidecast.* and kafka.* settings.")
  Path config;

  @Option(names = "--bootstrap-servers", description = "Kafka cluster; default: start the embedded broker.")
  String bootstrapServers;

  @Option(names = "--data-dir", description = "Broker log and streams state. Default: data.")
  String dataDir;

  @Option(names = "--instance-id", description = "Static membership id of this instance. Default: tidecast-1.")
  String instanceId;

  @Option(names = "--query-port", description = "Port other instances query. Default: 7070.")
  Integer queryPort;

  @Option(names = "--model", description = "Model kind. Default: linear-ar.")
  String model;

  @Option(names = "--input", description = "Model input length. Default: 96.")
  Integer input;

  @Option(names = "--horizon", description = "Forecast horizon. Default: 24.")
  Integer horizon;

  @Option(names = {"-D", "--set"}, description = "Any tidecast.* or kafka.* property, key=value.")
  java.util.Map<String, String> set = new java.util.HashMap<>();

  ServiceConfig toConfig() {
    Properties p = new Properties();
    if (config != null) {
      try (Reader in = Files.newBufferedReader(config)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + config, e);
      }
    }
    put(p, "tidecast.bootstrap-servers", bootstrapServers);
    put(p, "tidecast.data-dir", dataDir);
    put(p, "tidecast.instance-id", instanceId);
    put(p, "tidecast.query.port", queryPort);
    put(p, "tidecast.model.kind", model);
    put(p, "tidecast.model.input", input);
    put(p, "tidecast.model.horizon", horizon);
    p.putAll(set);
    return ServiceConfig.from(p);
  }

  private static void put(Properties p, String key, Object value) {
    if (value != null) {
      p.setProperty(key, value.toString());
    }
  }
}

package io.tidecast.streams;

import io.tidecast.streams.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Integration tests that share one real broker per test class, in a folder of their own. */
public abstract class WithEmbeddedBroker {

  protected static Path dir;
  protected static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    dir = KafkaTestSupport.tempDir("tidecast-it");
    broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
    KafkaTestSupport.delete(dir);
  }
}

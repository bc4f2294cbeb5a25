package io.tidecast.streams.topology;

import io.tidecast.streams.message.Rejection;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Sends the original key and bytes of a refused record to the dead-letter sink with the reason. */
final class DeadLetters {

  static final String SINK = "dead-letters";

  private DeadLetters() {}

  static void send(ProcessorContext<Object, Object> context, Record<?, ?> original, byte[] key, byte[] value,
      Rejection rejection, TopologyEvents events) {
    events.deadLettered(rejection.code());
    Headers headers = new RecordHeaders(original.headers().toArray());
    headers.remove(Rejection.CODE_HEADER);
    headers.remove(Rejection.DETAIL_HEADER);
    headers.add(Rejection.CODE_HEADER, rejection.code().getBytes(StandardCharsets.UTF_8));
    headers.add(Rejection.DETAIL_HEADER, rejection.detail().getBytes(StandardCharsets.UTF_8));
    context.forward(new Record<Object, Object>(key, value, original.timestamp(), headers), SINK);
  }
}

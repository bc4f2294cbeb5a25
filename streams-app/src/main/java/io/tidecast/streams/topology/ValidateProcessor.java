package io.tidecast.streams.topology;

import io.tidecast.streams.message.ReadingParser;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Parses each record; valid readings go on to the windows, everything else to the dead letters. */
final class ValidateProcessor implements Processor<byte[], byte[], Object, Object> {

  static final String NAME = "validate";

  private final ReadingParser parser;
  private final TopologyEvents events;
  private ProcessorContext<Object, Object> context;

  ValidateProcessor(ReadingParser parser, TopologyEvents events) {
    this.parser = parser;
    this.events = events;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    ReadingParser.Result result = parser.parse(record.key(), record.value());
    if (result instanceof ReadingParser.Accepted accepted) {
      events.accepted(accepted.reading().series());
      Parsed parsed = new Parsed(accepted.reading(), record.key(), record.value());
      context.forward(new Record<Object, Object>(accepted.reading().series(), parsed, record.timestamp(),
          record.headers()), WindowProcessor.NAME);
    } else if (result instanceof ReadingParser.Refused refused) {
      DeadLetters.send(context, record, record.key(), record.value(), refused.rejection(), events);
    }
  }
}

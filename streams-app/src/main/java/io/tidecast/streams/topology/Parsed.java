package io.tidecast.streams.topology;

import io.tidecast.streams.message.Reading;

/** A valid reading with the original bytes of its record, kept for a later dead letter. */
record Parsed(Reading reading, byte[] key, byte[] value) {}

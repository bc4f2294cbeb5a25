package io.tidecast.streams.topology;

import io.tidecast.forecaster.ModelId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The value of {@link StoreNames#RECURRENT_STATE}: which model (name and version) made a state,
 * the grid step of the last reading it read, and the state's own bytes. A state is used only by
 * the model that made it; another version starts over from the window.
 *
 * @param model {@code name:version} of the model
 * @param step the grid step of the last reading read
 * @param state the model's encoding of its state
 */
record RecurrentStates(String model, long step, byte[] state) {

  static RecurrentStates of(ModelId model, long step, byte[] state) {
    return new RecurrentStates(model.toString(), step, state);
  }

  byte[] encode() {
    byte[] name = model.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + name.length + 8 + state.length).putInt(name.length).put(name)
        .putLong(step).put(state).array();
  }

  static RecurrentStates decode(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    byte[] name = new byte[buffer.getInt()];
    buffer.get(name);
    long step = buffer.getLong();
    byte[] state = new byte[buffer.remaining()];
    buffer.get(state);
    return new RecurrentStates(new String(name, StandardCharsets.UTF_8), step, state);
  }
}

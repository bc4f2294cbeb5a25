package io.tidecast.zoo.train;

import java.lang.reflect.Field;
import java.util.Optional;
import java.util.Set;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;

/**
 * Keeps SameDiff's per-thread inference sessions from growing. A session records the id of every
 * array it frees, in a set it never clears: about 1,200 ids per training pass of the Informer, so
 * over a run of thousands of passes millions of entries, a heap that grows without bound and full
 * collections that take longer every step. The ids matter only within one call (they stop an
 * array being freed twice), so clearing them after the call is safe.
 */
public final class Sessions {

  private static final Field FREED_ARRAYS = freedArraysField();

  private Sessions() {}

  /** Clears the freed-array ids of the calling thread's session of {@code sd}, if it has one. */
  public static void forgetFreedArrays(SameDiff sd) {
    freedArrays(sd).ifPresent(Set::clear);
  }

  /** The freed-array ids of the calling thread's session of {@code sd}. */
  public static Optional<Set<?>> freedArrays(SameDiff sd) {
    InferenceSession session = sd.getSessions().get(Thread.currentThread().getId());
    if (session == null) {
      return Optional.empty();
    }
    try {
      return Optional.of((Set<?>) FREED_ARRAYS.get(session));
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read InferenceSession.freedArrays", e);
    }
  }

  private static Field freedArraysField() {
    try {
      Field field = InferenceSession.class.getDeclaredField("freedArrays");
      field.setAccessible(true);
      return field;
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("this ND4J version's InferenceSession has no freedArrays"
          + " set; Sessions was written against 1.0.0-M2.1", e);
    }
  }
}

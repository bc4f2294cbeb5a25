package io.tidecast.forecaster.attention;

import io.tidecast.forecaster.InferenceWorkspace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterUpdate;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keys and values of the last {@code window} positions of many sequences, for incremental causal
 * attention: appending a position and attending its query costs O(window) per sequence, and equals
 * causal attention recomputed over the last {@code window} positions.
 *
 * <p>Each sequence owns a slot: a ring of {@code window} rows in one {@code [slots * window,
 * heads * headDim]} array for keys and one for values. A step writes the new rows with one scatter
 * and attends every stepping sequence in one batched call; the order of the ring does not matter,
 * since attention is blind to the order of its keys. Not thread-safe.
 */
public final class KvCache {

  private final int slots;
  private final int heads;
  private final int headDim;
  private final int window;
  private final INDArray keys;
  private final INDArray values;
  private final long[] appended;

  public KvCache(int slots, int heads, int headDim, int window, DataType type) {
    if (slots < 1 || heads < 1 || headDim < 1 || window < 1) {
      throw new IllegalArgumentException("KV cache sizes must be positive: slots " + slots
          + ", heads " + heads + ", headDim " + headDim + ", window " + window);
    }
    this.slots = slots;
    this.heads = heads;
    this.headDim = headDim;
    this.window = window;
    long rows = (long) slots * window;
    this.keys = InferenceWorkspace.outside(() -> Nd4j.zeros(type, rows, (long) heads * headDim));
    this.values = InferenceWorkspace.outside(() -> Nd4j.zeros(type, rows, (long) heads * headDim));
    this.appended = new long[slots];
  }

  public int window() {
    return window;
  }

  /** Positions appended to {@code slot} since it was last cleared. */
  public long length(int slot) {
    return appended[slot];
  }

  /** Forgets a sequence; its slot starts empty. */
  public void clear(int slot) {
    appended[slot] = 0;
  }

  /**
   * Appends one position to each of {@code slotIds} and returns the causal attention of the new
   * positions over their windows.
   *
   * @param q queries {@code [n, heads, headDim]}, one per listed slot
   * @param k keys of the new positions {@code [n, heads, headDim]}
   * @param v values of the new positions {@code [n, heads, headDim]}
   * @return {@code [n, heads, headDim]}
   */
  public INDArray step(int[] slotIds, INDArray q, INDArray k, INDArray v, double scale) {
    int n = slotIds.length;
    boolean[] seen = new boolean[slots];
    int[] writeRows = new int[n];
    for (int i = 0; i < n; i++) {
      int slot = slotIds[i];
      if (slot < 0 || slot >= slots || seen[slot]) {
        throw new IllegalArgumentException("slot " + slot + " is out of range [0, " + slots
            + ") or listed twice");
      }
      seen[slot] = true;
      writeRows[i] = slot * window + (int) (appended[slot] % window);
    }
    int width = heads * headDim;
    INDArray rows = Nd4j.createFromArray(writeRows);
    Nd4j.scatterUpdate(ScatterUpdate.UpdateOp.ASSIGN, keys, rows, k.reshape(n, width), 1);
    Nd4j.scatterUpdate(ScatterUpdate.UpdateOp.ASSIGN, values, rows, v.reshape(n, width), 1);
    for (int slot : slotIds) {
      appended[slot]++;
    }

    INDArray windowKeys = windows(keys, slotIds); // [n, heads, window, headDim]
    INDArray windowValues = windows(values, slotIds);
    INDArray scores = Nd4j.matmul(q.reshape(n, heads, 1, headDim), windowKeys, false, true,
        false); // [n, heads, 1, window]
    if (scale != 1) {
      scores.muli(scale);
    }
    Nd4j.exec(new BroadcastAddOp(scores, emptyRowMask(slotIds, scores.dataType()), scores, 0, 3));
    Nd4j.exec(new SoftMax(scores, scores, 3));
    return Nd4j.matmul(scores, windowValues).reshape(n, heads, headDim);
  }

  /** The rings of the listed slots as {@code [n, heads, window, headDim]}. */
  private INDArray windows(INDArray store, int[] slotIds) {
    INDArray rows;
    if (isEverySlotInOrder(slotIds)) {
      rows = store;
    } else {
      int[] indices = new int[slotIds.length * window];
      for (int i = 0; i < slotIds.length; i++) {
        for (int w = 0; w < window; w++) {
          indices[i * window + w] = slotIds[i] * window + w;
        }
      }
      rows = Nd4j.exec(new Gather(store, Nd4j.createFromArray(indices), 0))[0];
    }
    return rows.reshape(slotIds.length, window, heads, headDim).permute(0, 2, 1, 3);
  }

  private boolean isEverySlotInOrder(int[] slotIds) {
    if (slotIds.length != slots) {
      return false;
    }
    for (int i = 0; i < slotIds.length; i++) {
      if (slotIds[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** {@code [n, window]}: masked where a ring row has not been written yet. */
  private INDArray emptyRowMask(int[] slotIds, DataType type) {
    double[] mask = new double[slotIds.length * window];
    for (int i = 0; i < slotIds.length; i++) {
      long filled = Math.min(appended[slotIds[i]], window);
      for (int w = (int) filled; w < window; w++) {
        mask[i * window + w] = Masks.MASKED;
      }
    }
    return Nd4j.createFromArray(mask).reshape(slotIds.length, window).castTo(type);
  }
}

package io.tidecast.forecaster;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.function.IntToDoubleFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves data between Java and ND4J arrays in bulk, through the arrays' own memory. ND4J's
 * {@code toFloatVector} and {@code createFromArray} go element by element, and its scatter op
 * copies one row per call into the native library: on the hot paths of serving these cost more
 * than the arithmetic around them.
 *
 * <p>Every method reads or writes contiguous row-major memory (a view into a larger buffer is
 * fine when its elements are contiguous); any other array is copied first (readers) or refused
 * (writers).
 */
public final class DenseArrays {

  private DenseArrays() {}

  /** The values of a float array in row-major order. */
  public static float[] floats(INDArray values) {
    INDArray dense = dense(values);
    float[] out = new float[Math.toIntExact(dense.length())];
    dense.data().asNioFloat().get(start(dense), out);
    return out;
  }

  /** A new int vector holding {@code values} (an index for gather ops). */
  public static INDArray ints(int[] values) {
    INDArray v = Nd4j.createUninitialized(DataType.INT32, values.length);
    v.data().asNioInt().put(values);
    return v;
  }

  /** Rows {@code rows[r]} of the float {@code source [n, width]}, as a new array. */
  public static INDArray takeRows(INDArray source, int[] rows) {
    int width = Math.toIntExact(source.size(1));
    INDArray dense = dense(source);
    FloatBuffer from = dense.data().asNioFloat();
    int base = start(dense);
    float[] taken = new float[rows.length * width];
    for (int r = 0; r < rows.length; r++) {
      from.get(base + rows[r] * width, taken, r * width, width);
    }
    return matrix(taken, rows.length, width);
  }

  /** A new {@code [rows, width]} float array holding {@code flat}. */
  public static INDArray matrix(float[] flat, int rows, int width) {
    INDArray m = Nd4j.createUninitialized(DataType.FLOAT, rows, width);
    m.data().asNioFloat().put(flat);
    return m;
  }

  /** Reads the elements of {@code values} (float or double) by row-major flat index. */
  public static IntToDoubleFunction reader(INDArray values) {
    INDArray dense = dense(values);
    int start = start(dense);
    if (dense.dataType() == DataType.FLOAT) {
      FloatBuffer buffer = dense.data().asNioFloat();
      return i -> buffer.get(start + i);
    }
    DoubleBuffer buffer = requireDouble(dense).data().asNioDouble();
    return i -> buffer.get(start + i);
  }

  /**
   * Copies row {@code r} of {@code source [rows.length, width]} over row {@code rows[r]} of
   * {@code target [n, width]}, in place: a scatter of whole rows.
   *
   * @throws IllegalArgumentException if {@code target} is not contiguous and row-major, or the
   *     two differ in type or width
   */
  public static void putRows(INDArray target, int[] rows, INDArray source) {
    int width = Math.toIntExact(target.size(1));
    if (!contiguous(target) || source.size(1) != width
        || source.dataType() != target.dataType() || source.size(0) != rows.length) {
      throw new IllegalArgumentException("cannot put rows " + source.shapeInfoToString()
          + " into " + target.shapeInfoToString());
    }
    INDArray from = dense(source);
    int base = start(target);
    if (target.dataType() == DataType.FLOAT) {
      float[] values = new float[rows.length * width];
      from.data().asNioFloat().get(start(from), values);
      FloatBuffer into = target.data().asNioFloat();
      for (int r = 0; r < rows.length; r++) {
        into.put(base + rows[r] * width, values, r * width, width);
      }
    } else {
      double[] values = new double[rows.length * width];
      requireDouble(from).data().asNioDouble().get(start(from), values);
      DoubleBuffer into = requireDouble(target).data().asNioDouble();
      for (int r = 0; r < rows.length; r++) {
        into.put(base + rows[r] * width, values, r * width, width);
      }
    }
  }

  private static INDArray requireDouble(INDArray values) {
    if (values.dataType() != DataType.DOUBLE) {
      throw new IllegalArgumentException("float or double arrays only: " + values.dataType());
    }
    return values;
  }

  private static boolean contiguous(INDArray values) {
    // a view's buffer reads from the start of the memory it shares, so reads begin at offset()
    return values.ordering() == 'c' && values.elementWiseStride() == 1;
  }

  private static INDArray dense(INDArray values) {
    return contiguous(values) ? values : values.dup('c');
  }

  private static int start(INDArray values) {
    return Math.toIntExact(values.offset());
  }
}

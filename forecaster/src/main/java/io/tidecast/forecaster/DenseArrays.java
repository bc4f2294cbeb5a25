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
 * <p>Every method reads or writes row-major memory; an array that is a view, not row-major, or
 * shares a larger buffer is copied first (readers) or refused (writers).
 */
public final class DenseArrays {

  private DenseArrays() {}

  /** The values of a float array in row-major order. */
  public static float[] floats(INDArray values) {
    INDArray dense = dense(values);
    float[] out = new float[Math.toIntExact(dense.length())];
    dense.data().asNioFloat().get(out);
    return out;
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
    if (dense.dataType() == DataType.FLOAT) {
      FloatBuffer buffer = dense.data().asNioFloat();
      return buffer::get;
    }
    DoubleBuffer buffer = doubles(dense).data().asNioDouble();
    return buffer::get;
  }

  /**
   * Copies row {@code r} of {@code source [rows.length, width]} over row {@code rows[r]} of
   * {@code target [n, width]}, in place: a scatter of whole rows.
   *
   * @throws IllegalArgumentException if {@code target} is not a whole row-major array of its own,
   *     or the two differ in type or width
   */
  public static void putRows(INDArray target, int[] rows, INDArray source) {
    int width = Math.toIntExact(target.size(1));
    if (!ownsDenseMemory(target) || source.size(1) != width
        || source.dataType() != target.dataType() || source.size(0) != rows.length) {
      throw new IllegalArgumentException("cannot put rows " + source.shapeInfoToString()
          + " into " + target.shapeInfoToString());
    }
    INDArray from = dense(source);
    if (target.dataType() == DataType.FLOAT) {
      float[] values = new float[rows.length * width];
      from.data().asNioFloat().get(values);
      FloatBuffer into = target.data().asNioFloat();
      for (int r = 0; r < rows.length; r++) {
        into.put(rows[r] * width, values, r * width, width);
      }
    } else {
      double[] values = new double[rows.length * width];
      doubles(from).data().asNioDouble().get(values);
      DoubleBuffer into = doubles(target).data().asNioDouble();
      for (int r = 0; r < rows.length; r++) {
        into.put(rows[r] * width, values, r * width, width);
      }
    }
  }

  private static INDArray doubles(INDArray values) {
    if (values.dataType() != DataType.DOUBLE) {
      throw new IllegalArgumentException("float or double arrays only: " + values.dataType());
    }
    return values;
  }

  private static boolean ownsDenseMemory(INDArray values) {
    return values.ordering() == 'c' && values.offset() == 0 && values.elementWiseStride() == 1
        && values.data().length() == values.length();
  }

  private static INDArray dense(INDArray values) {
    return ownsDenseMemory(values) ? values : values.dup('c');
  }
}

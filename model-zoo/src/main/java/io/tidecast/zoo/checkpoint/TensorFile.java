package io.tidecast.zoo.checkpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Named arrays in one file, bit for bit: a magic line, the count, then per array its name, data
 * type, shape and its values in C order, little-endian. Only FLOAT and DOUBLE arrays, which is
 * what models hold.
 */
public final class TensorFile {

  private static final String MAGIC = "tidecast-tensors 1";
  private static final int MAX_RANK = 8;

  private TensorFile() {}

  public static void write(Path file, Map<String, INDArray> arrays) throws IOException {
    try (DataOutputStream out = new DataOutputStream(
        new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeUTF(MAGIC);
      out.writeInt(arrays.size());
      for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
        INDArray array = e.getValue();
        DataType type = array.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
          throw new IllegalArgumentException(e.getKey() + ": cannot store " + type);
        }
        out.writeUTF(e.getKey());
        out.writeUTF(type.name());
        long[] shape = array.shape();
        out.writeInt(shape.length);
        for (long d : shape) {
          out.writeLong(d);
        }
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(array.length() * type.width()))
            .order(ByteOrder.LITTLE_ENDIAN);
        if (type == DataType.FLOAT) {
          bytes.asFloatBuffer().put(array.dup('c').data().asFloat());
        } else {
          bytes.asDoubleBuffer().put(array.dup('c').data().asDouble());
        }
        out.write(bytes.array());
      }
    }
  }

  /**
   * Reads every array, in the order written.
   *
   * @throws IOException naming the file and what is wrong, if it is not a tensor file or is cut
   *     short
   */
  public static Map<String, INDArray> read(Path file) throws IOException {
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    try (DataInputStream in = new DataInputStream(
        new BufferedInputStream(Files.newInputStream(file)))) {
      String magic = readMagic(in, file);
      if (!MAGIC.equals(magic)) {
        throw new IOException(file + " is not a tensor file (it starts with '" + magic + "')");
      }
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        DataType type = DataType.valueOf(in.readUTF());
        int rank = in.readInt();
        if (rank < 0 || rank > MAX_RANK) {
          throw new IOException(file + ": array " + name + " has rank " + rank);
        }
        long[] shape = new long[rank];
        long length = 1;
        for (int d = 0; d < rank; d++) {
          shape[d] = in.readLong();
          length = Math.multiplyExact(length, shape[d]);
        }
        byte[] raw = new byte[Math.toIntExact(length * type.width())];
        in.readFully(raw);
        ByteBuffer bytes = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        INDArray array;
        if (type == DataType.FLOAT) {
          float[] values = new float[(int) length];
          bytes.asFloatBuffer().get(values);
          array = Nd4j.createFromArray(values);
        } else if (type == DataType.DOUBLE) {
          double[] values = new double[(int) length];
          bytes.asDoubleBuffer().get(values);
          array = Nd4j.createFromArray(values);
        } else {
          throw new IOException(file + ": array " + name + " has unsupported type " + type);
        }
        arrays.put(name, array.reshape(shape));
      }
      if (in.read() != -1) {
        throw new IOException(file + " has bytes after its " + count + " arrays");
      }
    } catch (EOFException e) {
      throw new IOException(file + " is cut short after " + arrays.size() + " arrays", e);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IOException(file + " is damaged after " + arrays.size() + " arrays: "
          + e.getMessage(), e);
    }
    return arrays;
  }

  private static String readMagic(DataInputStream in, Path file) throws IOException {
    try {
      return in.readUTF();
    } catch (IOException e) {
      throw new IOException(file + " is not a tensor file", e);
    }
  }
}

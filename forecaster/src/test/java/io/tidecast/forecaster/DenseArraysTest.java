package io.tidecast.forecaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class DenseArraysTest {

  /** {@code [3, 4, 5]} holding 0, 1, 2, ... in row-major order. */
  private static INDArray counting(DataType type) {
    return Nd4j.linspace(0, 59, 60, type).reshape(3, 4, 5);
  }

  @Test
  void floatsReadsWholeArraysContiguousViewsAndStridedViews() {
    INDArray all = counting(DataType.FLOAT);
    assertThat(DenseArrays.floats(all)).containsExactly(all.data().asFloat());
    // slice 1 lies at offset 20 of the same buffer
    assertThat(DenseArrays.floats(all.slice(1)))
        .containsExactly(all.slice(1).dup().data().asFloat());
    INDArray strided = all.get(NDArrayIndex.all(), NDArrayIndex.point(2), NDArrayIndex.all());
    assertThat(DenseArrays.floats(strided)).containsExactly(strided.dup('c').data().asFloat());
    assertThat(DenseArrays.floats(all.permute(2, 1, 0)))
        .containsExactly(all.permute(2, 1, 0).dup('c').data().asFloat());
  }

  @Test
  void matrixAndIntsHoldTheirValues() {
    INDArray m = DenseArrays.matrix(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertThat(m.shape()).containsExactly(2, 3);
    assertThat(m.getFloat(1, 0)).isEqualTo(4f);
    INDArray ints = DenseArrays.ints(new int[] {7, -1, 3});
    assertThat(ints.dataType()).isEqualTo(DataType.INT32);
    assertThat(ints.toIntVector()).containsExactly(7, -1, 3);
  }

  @Test
  void takeRowsCopiesTheChosenRowsInOrderFromAView() {
    INDArray rows = counting(DataType.FLOAT).slice(2); // [4, 5] at offset 40
    INDArray taken = DenseArrays.takeRows(rows, new int[] {3, 0, 3});
    assertThat(taken.shape()).containsExactly(3, 5);
    assertThat(taken.getRow(0)).isEqualTo(rows.getRow(3));
    assertThat(taken.getRow(1)).isEqualTo(rows.getRow(0));
    assertThat(taken.getRow(2)).isEqualTo(rows.getRow(3));
  }

  @Test
  void readerReadsByFlatIndexInFloatAndDouble() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      INDArray view = counting(type).slice(1);
      IntToDoubleFunction at = DenseArrays.reader(view);
      assertThat(at.applyAsDouble(0)).isEqualTo(20.0);
      assertThat(at.applyAsDouble(19)).isEqualTo(39.0);
    }
  }

  @Test
  void putRowsOverwritesOnlyTheNamedRowsOfTheTarget() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      INDArray whole = counting(type);
      INDArray target = whole.slice(1); // rows 0..3 of slice 1, offset 20
      INDArray source = Nd4j.valueArrayOf(new long[] {2, 5}, -1.0, type);
      source.getRow(1).assign(-2);
      DenseArrays.putRows(target, new int[] {2, 0}, source);
      assertThat(whole.slice(1).getRow(2).toDoubleVector()).containsOnly(-1.0);
      assertThat(whole.slice(1).getRow(0).toDoubleVector()).containsOnly(-2.0);
      assertThat(whole.slice(1).getRow(1).toDoubleVector()).containsExactly(25, 26, 27, 28, 29);
      assertThat(whole.slice(0)).isEqualTo(counting(type).slice(0));
      assertThat(whole.slice(2)).isEqualTo(counting(type).slice(2));
    }
  }

  @Test
  void putRowsRefusesAStridedTargetOrAnotherWidth() {
    INDArray strided = counting(DataType.FLOAT).permute(1, 0, 2).reshape(4, 15).transpose();
    assertThatThrownBy(() -> DenseArrays.putRows(strided, new int[] {0},
        Nd4j.zeros(DataType.FLOAT, 1, 4))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DenseArrays.putRows(Nd4j.zeros(DataType.FLOAT, 3, 5), new int[] {0},
        Nd4j.zeros(DataType.FLOAT, 1, 4))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot put rows");
  }
}

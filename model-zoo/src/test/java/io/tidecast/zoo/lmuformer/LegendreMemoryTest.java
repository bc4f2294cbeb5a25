package io.tidecast.zoo.lmuformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LegendreMemoryTest {

  @Test
  void zeroOrderHoldGivesTheReferenceMatrices() {
    LegendreMemory memory = new LegendreMemory(4, 4);
    double[] firstRow = {0.75513, -0.19139, -0.09352, -0.002614};
    double[] b = {0.24487, -0.57417, 0.467599, -0.0183};
    for (int j = 0; j < 4; j++) {
      assertThat(memory.aBar()[0][j]).as("Abar[0][%d]", j).isCloseTo(firstRow[j], within(1e-5));
      assertThat(memory.bBar()[j]).as("Bbar[%d]", j).isCloseTo(b[j], within(1e-5));
    }
  }

  @Test
  void matrixExponentialOfADiagonalAndANilpotentMatrix() {
    double[][] e = LegendreMemory.expm(new double[][] {{1, 0}, {0, -3}});
    assertThat(e[0][0]).isCloseTo(Math.E, within(1e-13));
    assertThat(e[1][1]).isCloseTo(Math.exp(-3), within(1e-13));
    double[][] shear = LegendreMemory.expm(new double[][] {{0, 5}, {0, 0}});
    assertThat(shear[0][1]).isCloseTo(5, within(1e-13));
    assertThat(shear[0][0]).isCloseTo(1, within(1e-13));
  }

  @Test
  void parallelMemoryEqualsTheRecurrenceOver512StepsInFloat() {
    int steps = 512;
    int channels = 3;
    LegendreMemory memory = new LegendreMemory(12, 100);
    SplittableRandom random = new SplittableRandom(3);
    double[][] u = new double[channels][steps];
    for (double[] row : u) {
      for (int t = 0; t < steps; t++) {
        row[t] = random.nextGaussian();
      }
    }
    INDArray parallel = Nd4j.createFromArray(u).castTo(DataType.FLOAT).mmul(
        Nd4j.createFromArray(LmuGraph.memoryMatrix(memory, steps, steps)).castTo(DataType.FLOAT));
    double largest = 0;
    for (int c = 0; c < channels; c++) {
      double[] m = new double[memory.order()];
      for (int t = 0; t < steps; t++) {
        m = memory.step(m, u[c][t]);
        for (int k = 0; k < memory.order(); k++) {
          double p = parallel.getDouble(c, (long) t * memory.order() + k);
          assertThat(p).as("channel %d step %d coefficient %d", c, t, k)
              .isCloseTo(m[k], within(1e-5));
          largest = Math.max(largest, Math.abs(m[k]));
        }
      }
    }
    assertThat(largest).as("the memory is not trivially small").isGreaterThan(0.5);
  }

  @Test
  void aWindowedMemoryIsTheRecurrenceWithTheLeavingInputTakenOut() {
    int steps = 300;
    int window = 40;
    LegendreMemory memory = new LegendreMemory(8, window);
    double[][] h = memory.impulseResponse(window + 1);
    double[][] matrix = LmuGraph.memoryMatrix(memory, steps, window);
    SplittableRandom random = new SplittableRandom(5);
    double[] u = new double[steps];
    for (int t = 0; t < steps; t++) {
      u[t] = random.nextGaussian();
    }
    double[] m = new double[memory.order()];
    for (int t = 0; t < steps; t++) {
      m = memory.step(m, u[t]);
      if (t >= window) {
        for (int k = 0; k < m.length; k++) {
          m[k] -= h[window][k] * u[t - window];
        }
      }
      for (int k = 0; k < m.length; k++) {
        double parallel = 0;
        for (int s = 0; s < steps; s++) {
          parallel += u[s] * matrix[s][t * memory.order() + k];
        }
        assertThat(m[k]).isCloseTo(parallel, within(1e-9));
      }
    }
    double[][] last = LmuGraph.lastStepMemoryMatrix(memory, steps, window);
    for (int s = 0; s < steps; s++) {
      for (int k = 0; k < memory.order(); k++) {
        assertThat(last[s][k]).isEqualTo(matrix[s][(steps - 1) * memory.order() + k]);
      }
    }
  }
}

package io.tidecast.zoo.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code zoo bench-ops}: times the ND4J operations models spend their time in, on the backend that
 * is on the class path, so that two backend builds can be compared in one sitting. Prints the
 * median of the timed repeats after warm-up.
 */
@Command(name = "bench-ops", mixinStandardHelpOptions = true,
    description = "Time sgemm, softmax, GELU-style elementwise math and a reduction on the ND4J backend.")
final class BenchOpsCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--repeats", defaultValue = "15", description = "Timed repeats per op. Default: ${DEFAULT-VALUE}.")
  int repeats;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.printf("backend %s, ND4J threads %s%n", Nd4j.getBackend().getClass().getSimpleName(),
        Nd4j.getEnvironment().maxMasterThreads());
    Nd4j.getRandom().setSeed(7);
    for (int n : new int[] {512, 1024, 2048}) {
      INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
      INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
      INDArray c = Nd4j.create(DataType.FLOAT, n, n);
      double ms = median(() -> a.mmuli(b, c));
      out.printf(Locale.ROOT, "sgemm %4d^3            %9.3f ms  %7.1f GFLOP/s%n", n, ms, 2.0 * n * n * n / ms / 1e6);
    }
    INDArray scores = Nd4j.rand(DataType.FLOAT, 32, 8, 96, 96);
    INDArray probs = scores.ulike();
    report(out, "softmax [32,8,96,96]", median(() -> Nd4j.exec(new SoftMax(scores, probs, -1))));
    INDArray x = Nd4j.rand(DataType.FLOAT, 32, 96, 2048);
    INDArray y = x.ulike();
    // GELU as 0.5 x (1 + erf(x / sqrt 2)): four elementwise ops.
    report(out, "gelu-erf [32,96,2048]", median(() -> {
      Nd4j.exec(new Erf(x.mul(1 / Math.sqrt(2)), y));
      y.addi(1).muli(x).muli(0.5);
    }));
    report(out, "exp [32,96,2048]", median(() -> Nd4j.exec(new Exp(x, y))));
    report(out, "sum axis 2 [32,96,2048]", median(() -> x.sum(2)));
    return 0;
  }

  private static void report(PrintWriter out, String name, double ms) {
    out.printf(Locale.ROOT, "%-24s %9.3f ms%n", name, ms);
  }

  private double median(Runnable op) {
    return Timing.medianMillis(op, 3, repeats, false);
  }
}

package io.tidecast.zoo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tidecast.zoo.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job: both baselines on ETTh1 under the standard protocol. */
class ZooCommandIT {

  private static final Pattern ROW =
      Pattern.compile("(?m)^(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+[0-9.]+$");

  @Test
  void evaluatesBothBaselinesOnEtth1AtHorizons96And336() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = ZooCommand.run(new PrintWriter(out), new PrintWriter(err),
        "evaluate", "--data", TestData.etth1().toString());

    assertThat(code).as(err.toString()).isZero();
    String text = out.toString();
    assertThat(text).contains("train mean/std: HUFL 7.937742/5.812749")
        .contains("OT 17.128262/9.176491");
    Map<String, double[]> rows = new HashMap<>();
    Matcher m = ROW.matcher(text);
    while (m.find()) {
      rows.put(m.group(1) + "@" + m.group(2), new double[] {
          Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5))});
    }
    assertThat(rows).containsOnlyKeys(
        "seasonal-naive@96", "linear-ar@96", "seasonal-naive@336", "linear-ar@336");
    assertThat(rows.get("linear-ar@96")[0]).as("test windows at horizon 96").isEqualTo(2785);
    assertThat(rows.get("linear-ar@336")[0]).as("test windows at horizon 336").isEqualTo(2545);
    // The least-squares model must beat repeating yesterday, and land near the published linear
    // baselines (MSE about 0.39 at 96, 0.48 at 336).
    for (String horizon : new String[] {"96", "336"}) {
      assertThat(rows.get("linear-ar@" + horizon)[1]).isLessThan(rows.get("seasonal-naive@" + horizon)[1]);
    }
    assertThat(rows.get("linear-ar@96")[1]).isBetween(0.30, 0.42);
    assertThat(rows.get("linear-ar@336")[1]).isBetween(0.40, 0.52);
  }

  @Test
  void trainsSavesListsAndEvaluatesATinyInformerOnAFileItHasNeverSeen(@TempDir Path dir)
      throws IOException {
    Path file = plantFile(dir);
    Path registry = dir.resolve("models");

    String trained = zoo("train", "--data", file.toString(), "--split", "ratio", "--mode", "MS",
        "--input", "24", "--label", "12", "--horizon", "6", "--d-model", "16", "--heads", "2",
        "--d-ff", "32", "--epochs", "2", "--max-steps", "5", "--batch-size", "8", "--seed", "3",
        "--registry", registry.toString());

    // ratio split of 600 rows: 420 train, 60 validation, 120 test rows
    assertThat(trained).contains("windows train 391, validation 55, test 115")
        .containsPattern("epoch 2/2 \\[#+\\] 100% 5/5 loss [0-9.]+")
        .containsPattern("epoch 2: train [0-9.]+, validation MSE [0-9.]+")
        .contains("checkpoint written to " + registry.resolve("plant/1"));
    Matcher test = Pattern.compile("test: MSE ([0-9.]+) MAE ([0-9.]+) over 115 windows")
        .matcher(trained);
    assertThat(test.find()).as(trained).isTrue();

    // the saved model, loaded through the checkpoint, scores the same on the same test rows
    String evaluated = zoo("eval", "--data", file.toString(), "--split", "ratio",
        "--checkpoint", registry.resolve("plant/1").toString());
    Matcher again = Pattern.compile("test: MSE ([0-9.]+) MAE ([0-9.]+) over 115 windows")
        .matcher(evaluated);
    assertThat(again.find()).as(evaluated).isTrue();
    assertThat(Double.parseDouble(again.group(1)))
        .isCloseTo(Double.parseDouble(test.group(1)), within(2e-4));
    assertThat(evaluated).contains("plant:1 (informer [OT], input 24, horizon 6)");

    assertThat(zoo("list", "--registry", registry.toString()))
        .containsPattern("plant\\s+1\\s+informer\\s+\\S+\\s+24\\s+6\\s+" + test.group(1));
    assertThat(zoo("info", registry.resolve("plant/1").toString()))
        .contains("every file matches its recorded hash").contains("\"inputChannels\" : [ \"load\", \"temp\", \"OT\" ]");
  }

  @Test
  void trainsSavesAndEvaluatesAnLmuFormerThroughTheSameCommands(@TempDir Path dir)
      throws IOException {
    Path file = plantFile(dir);
    Path registry = dir.resolve("models");

    String trained = zoo("train", "--model", "lmuformer", "--data", file.toString(), "--split",
        "ratio", "--input", "24", "--horizon", "6", "--d-model", "16", "-o", "order=12",
        "-o", "memory-d=2", "--epochs", "2", "--max-steps", "5", "--batch-size", "8", "--seed",
        "3", "--registry", registry.toString(), "--name", "plant-lmu");

    assertThat(trained).contains("lmuformer {").contains("order=12")
        .contains("windows train 391, validation 55, test 115")
        .containsPattern("epoch 0 \\(closed-form fit\\): validation MSE [0-9.]+")
        .containsPattern("epoch 2: train [0-9.]+, validation MSE [0-9.]+")
        .contains("checkpoint written to " + registry.resolve("plant-lmu/1"));
    Matcher test = Pattern.compile("test: MSE ([0-9.]+) MAE ([0-9.]+) over 115 windows")
        .matcher(trained);
    assertThat(test.find()).as(trained).isTrue();

    String evaluated = zoo("eval", "--data", file.toString(), "--split", "ratio",
        "--checkpoint", registry.resolve("plant-lmu/1").toString());
    Matcher again = Pattern.compile("test: MSE ([0-9.]+) MAE ([0-9.]+) over 115 windows")
        .matcher(evaluated);
    assertThat(again.find()).as(evaluated).isTrue();
    assertThat(Double.parseDouble(again.group(1)))
        .isCloseTo(Double.parseDouble(test.group(1)), within(2e-4));
    assertThat(evaluated).contains("plant-lmu:1 (lmuformer [load, temp, OT], input 24, horizon 6)");
    assertThat(zoo("list", "--registry", registry.toString()))
        .containsPattern("plant-lmu\\s+1\\s+lmuformer\\s+\\S+\\s+24\\s+6\\s+" + test.group(1));
  }

  @Test
  void evaluatesTheInformerAndLmuFormerKindsOnAnyCsvThroughTheSameCommand(@TempDir Path dir)
      throws IOException {
    String text = zoo("eval", "--data", plantFile(dir).toString(), "--split", "ratio",
        "--input", "24", "--horizons", "6", "--models", "informer,lmuformer,seasonal-naive",
        "-o", "informer.d-model=16", "-o", "informer.heads=2", "-o", "informer.d-ff=32",
        "-o", "informer.epochs=1", "-o", "informer.max-steps=4", "-o", "informer.lr=1e-3",
        "-o", "lmuformer.d-model=16", "-o", "lmuformer.order=8", "-o", "lmuformer.epochs=1",
        "-o", "lmuformer.max-steps=4");
    assertThat(text).containsPattern("(?m)^informer\\s+6\\s+115\\s+[0-9.]+\\s+[0-9.]+")
        .containsPattern("(?m)^lmuformer\\s+6\\s+115\\s+[0-9.]+\\s+[0-9.]+")
        .containsPattern("(?m)^seasonal-naive\\s+6\\s+115\\s+[0-9.]+");
  }

  /** Hourly rows of three channels under names no model has seen. */
  private static Path plantFile(Path dir) throws IOException {
    StringBuilder csv = new StringBuilder("stamp,load,temp,OT\n");
    LocalDateTime start = LocalDateTime.of(2023, 3, 1, 0, 0);
    for (int t = 0; t < 600; t++) {
      csv.append(start.plusHours(t).toString().replace('T', ' ')).append(":00,")
          .append(5 + Math.sin(t / 3.8)).append(',').append(20 + (t % 24)).append(',')
          .append(Math.cos(t / 7.6)).append('\n');
    }
    return Files.writeString(dir.resolve("plant.csv"), csv);
  }

  private static String zoo(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ZooCommand.run(new PrintWriter(out), new PrintWriter(err), args);
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }

  @Test
  void explainsABadArgumentAndFails() {
    StringWriter err = new StringWriter();

    int code = ZooCommand.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "evaluate", "--data", TestData.etth1().toString(), "--models", "prophet");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("unknown model kind 'prophet'");
  }
}

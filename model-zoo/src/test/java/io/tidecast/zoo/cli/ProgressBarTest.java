package io.tidecast.zoo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  @Test
  void aFileGetsALineEveryTenthWithTheTimeLeft() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), false);
    for (int done = 1; done <= 100; done++) {
      bar.update("epoch 1/6", done, 100, done * 0.5, "loss 0.5");
    }
    String[] lines = text.toString().split("\n");
    assertThat(lines).hasSize(11); // 1%, then 10%, 20%, ... 100%
    assertThat(lines[5]).isEqualTo(
        "epoch 1/6 [###############...............]  50% 50/100 loss 0.5, 25s, ETA 25s");
    assertThat(lines[10]).contains("100% 100/100").endsWith("ETA 0s");
  }

  @Test
  void aTerminalGetsOneLineRedrawnInPlace() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), true);
    bar.update("epoch 2/6", 1, 4, 90, "loss 0.4");
    bar.update("epoch 2/6", 2, 4, 180, "loss 0.4");
    bar.message("epoch 2: validation MSE 0.5");
    assertThat(text.toString()).startsWith("\repoch 2/6 [########......................]  25%")
        .contains("\repoch 2/6 [###############...............]  50% 2/4 loss 0.4, 3m00s, ETA 3m00s\n")
        .endsWith("epoch 2: validation MSE 0.5\n");
    assertThat(ProgressBar.duration(7300)).isEqualTo("2h01m");
    assertThat(ProgressBar.duration(Double.NaN)).isEqualTo("?");
  }
}

package io.tidecast.zoo.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar with the time left: redrawn in place on a terminal, or a plain line every tenth
 * of the work (and at least once a minute) when the output is a file or a pipe.
 */
final class ProgressBar {

  private static final int WIDTH = 30;

  private final PrintWriter out;
  private final boolean terminal;
  private int lastTenth = -1;
  private long lastLine = System.nanoTime();
  private boolean drawn;

  ProgressBar(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Whether this process writes to a terminal. */
  static boolean onTerminal() {
    return System.console() != null;
  }

  /**
   * @param label what is being done, such as {@code epoch 2/6}
   * @param done units done so far
   * @param total units in all
   * @param seconds time spent on these units
   * @param detail a short note, such as the running loss
   */
  void update(String label, long done, long total, double seconds, String detail) {
    double fraction = total == 0 ? 1 : (double) done / total;
    double left = done == 0 ? Double.NaN : seconds / done * (total - done);
    int filled = (int) Math.round(fraction * WIDTH);
    String line = String.format(Locale.ROOT, "%s [%s%s] %3.0f%% %d/%d %s, %s, ETA %s", label,
        "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * fraction, done, total, detail,
        duration(seconds), duration(left));
    if (terminal) {
      out.print("\r" + line);
      drawn = true;
      if (done == total) {
        out.println();
        drawn = false;
      }
      out.flush();
      return;
    }
    int tenth = (int) (fraction * 10);
    long now = System.nanoTime();
    if (tenth != lastTenth || now - lastLine > 60_000_000_000L || done == total) {
      out.println(line);
      out.flush();
      lastTenth = tenth;
      lastLine = now;
    }
  }

  /** A line of its own, below the bar. */
  void message(String line) {
    if (drawn) {
      out.println();
      drawn = false;
    }
    out.println(line);
    out.flush();
  }

  static String duration(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
  }
}

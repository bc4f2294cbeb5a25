package io.tidecast.streams.sim;

/** Holds a loop to a rate: call {@link #pace()} after each event; it sleeps until the event is due. */
public final class Pacer {

  private final double perSecond;
  private final long started = System.nanoTime();
  private long events;

  /** @param perSecond events per second, or 0 for no limit */
  public Pacer(double perSecond) {
    this.perSecond = perSecond;
  }

  public void pace() throws InterruptedException {
    events++;
    if (perSecond <= 0) {
      return;
    }
    long wait = started + (long) (events * 1e9 / perSecond) - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }
}

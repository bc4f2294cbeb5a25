package io.tidecast.zoo.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a few tasks side by side on long-lived threads. ND4J keeps per-thread state (a SameDiff
 * session and its array cache, inference workspaces), so the same threads are reused for the
 * process's lifetime rather than started for each call: what a thread set up in one training step
 * serves it in the next. With {@code OMP_NUM_THREADS=1} each task then runs on a core of its own.
 */
final class Parallel {

  private static ExecutorService pool;
  private static int size;

  private Parallel() {}

  /**
   * Each task's result, in order; a single task runs on the calling thread. If a task fails, the
   * others are waited for (they share the caller's arrays), then the first failure is thrown with
   * the later ones attached as suppressed.
   */
  static <T> List<T> each(List<Callable<T>> tasks) {
    List<T> results = new ArrayList<>();
    if (tasks.size() == 1) {
      results.add(call(tasks.get(0)));
      return results;
    }
    List<Future<T>> running = submit(tasks);
    Throwable failure = null;
    for (Future<T> f : running) {
      try {
        results.add(join(f));
      } catch (RuntimeException | Error e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) {
      throw (RuntimeException) failure;
    }
    return results;
  }

  /**
   * Hands the tasks to the pool, which grows when more tasks than it has threads come at once;
   * the old pool finishes what it was given (submitting under the lock means no caller holds a
   * pool that is being shut down).
   */
  private static synchronized <T> List<Future<T>> submit(List<Callable<T>> tasks) {
    if (pool == null || size < tasks.size()) {
      if (pool != null) {
        pool.shutdown();
      }
      AtomicInteger count = new AtomicInteger();
      pool = Executors.newFixedThreadPool(tasks.size(), r -> {
        Thread t = new Thread(r, "tidecast-train-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      size = tasks.size();
    }
    List<Future<T>> running = new ArrayList<>();
    for (Callable<T> task : tasks) {
      running.add(pool.submit(task));
    }
    return running;
  }

  private static <T> T call(Callable<T> task) {
    try {
      return task.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static <T> T join(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a parallel task", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
  }
}

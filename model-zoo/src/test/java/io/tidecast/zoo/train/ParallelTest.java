package io.tidecast.zoo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ParallelTest {

  @Test
  void resultsComeInTheOrderOfTheTasks() {
    List<Callable<String>> tasks = List.of(() -> {
      Thread.sleep(50);
      return "first";
    }, () -> "second", () -> Thread.currentThread().getName());
    List<String> results = Parallel.each(tasks);
    assertThat(results).hasSize(3).startsWith("first", "second");
    assertThat(results.get(2)).startsWith("tidecast-train-");
  }

  @Test
  void aFailureIsThrownAfterTheOtherTasksFinishedAndKeepsItsType() {
    AtomicBoolean slowOneDone = new AtomicBoolean();
    List<Callable<Integer>> tasks = List.of(() -> {
      throw new IllegalArgumentException("bad part");
    }, () -> {
      Thread.sleep(200);
      slowOneDone.set(true);
      return 2;
    }, () -> {
      throw new OutOfMemoryError("native arrays");
    });
    assertThatThrownBy(() -> Parallel.each(tasks))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("bad part")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
            .isInstanceOf(OutOfMemoryError.class));
    assertThat(slowOneDone).as("the failure waited for the task still running").isTrue();

    assertThatThrownBy(() -> Parallel.each(List.<Callable<Integer>>of(() -> 1, () -> {
      throw new OutOfMemoryError("native arrays");
    }))).isInstanceOf(OutOfMemoryError.class);
  }
}

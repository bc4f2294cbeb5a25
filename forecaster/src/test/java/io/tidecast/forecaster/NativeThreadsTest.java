package io.tidecast.forecaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NativeThreadsTest {

  @Test
  void limitsTheMatrixProductsThreadsAndRefusesLessThanOne() {
    int before = NativeThreads.current();
    try {
      NativeThreads.limit(1);
      assertThat(NativeThreads.current()).isEqualTo(1);
      assertThatThrownBy(() -> NativeThreads.limit(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(">= 1");
      assertThat(NativeThreads.current()).isEqualTo(1);
    } finally {
      NativeThreads.limit(Math.max(1, before));
    }
  }
}

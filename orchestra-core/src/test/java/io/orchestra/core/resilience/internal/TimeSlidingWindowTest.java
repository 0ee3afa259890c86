package io.orchestra.core.resilience.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimeSlidingWindowTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aStaleClockReading_neverClearsNewerCalls() {
    // Two threads share a 1-second window. One read the ticker just before a second boundary
    // and was preempted; meanwhile another recorded a failure just after the boundary. The
    // late thread must not reset the bucket back to the old second (that would drop the failure).
    TimeSlidingWindow window = new TimeSlidingWindow(1);
    window.record(true, false, 6 * SECOND + 1);
    window.record(false, false, 6 * SECOND - 1);

    long counts = window.snapshot(6 * SECOND + 2);
    assertThat(PackedCounts.calls(counts)).isEqualTo(2);
    assertThat(PackedCounts.failures(counts)).isEqualTo(1);
  }

  @Test
  void bucketsOlderThanTheWindow_areForgotten() {
    TimeSlidingWindow window = new TimeSlidingWindow(3);
    window.record(true, true, 10 * SECOND);
    window.record(false, false, 11 * SECOND);
    window.record(false, false, 12 * SECOND);
    assertThat(PackedCounts.calls(window.snapshot(12 * SECOND))).isEqualTo(3);

    long later = window.record(false, false, 13 * SECOND); // reuses and clears second 10's bucket
    assertThat(PackedCounts.calls(later)).isEqualTo(3);
    assertThat(PackedCounts.failures(later)).isZero();
    assertThat(PackedCounts.slow(later)).isZero();
  }
}

package io.orchestra.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.RandomSource;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BackoffTest {

  @ParameterizedTest
  @EnumSource(Backoff.Type.class)
  void anUnboundedCap_neverThrows_andDelaysStayNonNegative(Backoff.Type type) {
    // "No cap" written as the longest Duration: beyond Duration.toNanos().
    Backoff backoff = new Backoff(type, Duration.ofSeconds(1), 2, ChronoUnit.FOREVER.getDuration());
    RandomSource random = RandomSource.seeded(11);
    long previous = 0;
    for (int retry = 1; retry <= 100; retry++) {
      long d = backoff.delayNanos(retry, previous, random);
      assertThat(d).isNotNegative();
      previous = d;
    }
    if (type == Backoff.Type.EXPONENTIAL) {
      assertThat(backoff.delayNanos(3, 0, random)).isEqualTo(Duration.ofSeconds(4).toNanos());
      assertThat(backoff.delayNanos(100, 0, random)).isEqualTo(Long.MAX_VALUE);
    }
  }
}

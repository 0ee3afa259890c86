package io.orchestra.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.resilience.CircuitBreaker;
import io.orchestra.core.resilience.CircuitBreakerConfig;
import io.orchestra.core.resilience.CircuitState;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.discovery.ClientContext;
import io.orchestra.discovery.Registration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BreakerViewTest {
  private final VirtualTime time = new VirtualTime();

  private InstanceState state(CircuitBreaker breaker) {
    ServiceInstance inst = ServiceInstance.builder("m0", "svc").address("h", 80).build();
    InstanceState s = new InstanceState(Registration.of(inst, Instant.EPOCH), null, breaker, a -> {}, 0);
    s.trackBreaker();
    return s;
  }

  private CircuitBreaker breaker() {
    return CircuitBreaker.of(
        "svc/m0",
        CircuitBreakerConfig.builder().waitDurationInOpenState(Duration.ofSeconds(10)).build(),
        time);
  }

  @Test
  @DisplayName("the pick path's view of the breaker follows every transition, and usable() still asks the breaker when it is not closed")
  void viewFollowsTransitions() {
    CircuitBreaker b = breaker();
    InstanceState s = state(b);
    assertThat(s.breakerClosed()).isTrue();
    b.transitionToOpen();
    assertThat(s.breakerClosed()).isFalse();
    assertThat(Picker.usable(s, ClientContext.none(), true)).isFalse();
    time.advance(Duration.ofSeconds(10)); // wait over: OPEN admits probes, without a transition
    assertThat(Picker.usable(s, ClientContext.none(), true)).isTrue();
    b.transitionToHalfOpen();
    assertThat(s.breakerClosed()).isFalse();
    b.transitionToClosed();
    assertThat(s.breakerClosed()).isTrue();
    b.transitionToForcedOpen();
    assertThat(Picker.usable(s, ClientContext.none(), true)).isFalse();
    b.transitionToDisabled();
    assertThat(s.breakerClosed()).isFalse();
    assertThat(Picker.usable(s, ClientContext.none(), true)).isTrue();
  }

  @Test
  @DisplayName("without a breaker the view is always closed")
  void noBreaker() {
    InstanceState s = state(null);
    assertThat(s.breakerClosed()).isTrue();
    assertThat(Picker.usable(s, ClientContext.none(), true)).isTrue();
  }

  @Test
  @DisplayName("transitions racing on many threads leave the view matching the breaker's final state")
  void racingTransitionsSettleOnTheLastState() throws Exception {
    for (int round = 0; round < 20; round++) {
      CircuitBreaker b = breaker();
      InstanceState s = state(b);
      int threads = 4;
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int id = t;
          done.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int k = 0; k < 2000; k++) {
                      if ((k + id) % 2 == 0) {
                        b.transitionToOpen();
                      } else {
                        b.transitionToClosed();
                      }
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(s.breakerClosed()).isEqualTo(b.state() == CircuitState.CLOSED);
    }
  }
}

package io.orchestra.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.testing.Race;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.discovery.testing.Fixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StatusConcurrencyTest {

  /**
   * Two threads report failures (three in a row eject) and successes for four instances, one
   * registers and deregisters a fifth and moves virtual time past ejections, and two threads read
   * {@code status} meanwhile. Every status must be one state: its score can be no higher than its
   * own health, passive counters and outstanding calls allow (an ejected instance has no health
   * part). Before the score was computed from the fields the status reports, a status read between
   * a signal and the score update paired the new counters (or an ejection) with the old score.
   */
  @Test
  @DisplayName("status() pairs its score with its own health, counters and outstanding calls")
  void statusScoreAgreesWithItsFields() throws Exception {
    // Time moves 7 s per step of one thread, hours of virtual time while the others run a few
    // calls: the cached list must not expire in the meantime (a refresh that completes as time
    // jumps on would be older than refreshInterval + maxStale, and discover would refuse to
    // answer, which is right then but not what this test is about).
    DiscoveryConfig config =
        DiscoveryConfig.builder()
            .algorithm(LoadBalancing.ROUND_ROBIN)
            .refreshInterval(Duration.ofDays(1))
            .build();
    Fixture f = new Fixture(config);
    ServiceInstance[] s = f.register("svc", 1, 1, 1, 1);
    ServiceInstance extra = Fixture.instance("svc", 9, 1);
    f.discovery.discover("svc");
    double h = config.healthScoring() ? config.healthWeight() : 0;
    double p = config.latencyWeighting() ? config.performanceWeight() : 0;
    double x = config.geographicPreference() ? config.proximityWeight() : 0;
    double l = config.loadWeight();
    double sum = h + p + x + l;

    int iterations = 60_000;
    List<Callable<Void>> writers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      int seed = t;
      writers.add(() -> {
        for (int i = 0; i < iterations; i++) {
          ServiceInstance target = s[(i / 4 + seed) % s.length];
          f.discovery.discover("svc");
          CallOutcome outcome =
              i % 8 < 3 ? CallOutcome.SERVER_ERROR : CallOutcome.SUCCESS;
          f.discovery.recordResult(target, outcome, 1_000_000L); // one latency: performance 1
        }
        return null;
      });
    }
    writers.add(() -> {
      for (int i = 0; i < iterations / 10; i++) {
        if (i % 2 == 0) {
          f.discovery.register(extra);
        } else {
          f.discovery.deregister(extra.id());
        }
        f.time.advance(Duration.ofSeconds(7));
      }
      return null;
    });
    List<Race.Read> readers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      readers.add(() -> {
        for (ServiceInstance i : new ServiceInstance[] {s[0], s[1], s[2], s[3], extra}) {
          InstanceStatus st = f.discovery.status(i);
          if (st == null) {
            continue; // the extra instance between deregistration and registration
          }
          double health =
              st.ejected() || st.health().equals("UNHEALTHY")
                  ? 0
                  : Math.max(
                      0,
                      Math.min(
                          1,
                          (st.consecutiveSuccesses() > 10 ? 1.0 : 0.9)
                              - 0.2 * st.consecutiveFailures()
                              - st.errorRate()));
          double bound =
              (h * health + p + x * 0.5 + l / (1 + Math.max(0, st.outstanding())))
                  / sum;
          assertThat(st.score()).as("score of %s", st).isLessThanOrEqualTo(bound + 1e-9);
        }
      });
    }
    try {
      Race.run(writers, readers);
    } finally {
      f.discovery.close();
    }
  }
}

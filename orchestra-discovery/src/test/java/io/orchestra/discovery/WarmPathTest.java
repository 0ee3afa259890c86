package io.orchestra.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.Ticker;
import io.orchestra.discovery.testing.FlakySource;
import io.orchestra.discovery.testing.Fixture;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The warm path learns from a timer, not from the clock, when an entry falls due. */
class WarmPathTest {
  private static final DiscoveryConfig MESH_ONLY =
      DiscoveryConfig.builder()
          .algorithm(LoadBalancing.ROUND_ROBIN)
          .mechanisms(EnumSet.of(Mechanism.MESH))
          .build();

  @Test
  @DisplayName("a warm, fresh entry answers without reading the ticker, except for the 1-in-64 timing sample")
  void warmCallsDoNotReadTheClock() {
    AtomicInteger reads = new AtomicInteger();
    Fixture[] holder = new Fixture[1];
    Ticker counting =
        () -> {
          reads.incrementAndGet();
          return holder[0].time.read();
        };
    Fixture f = new Fixture(MESH_ONLY.toBuilder().build(), b -> b.ticker(counting).source(mesh(2)));
    holder[0] = f;
    f.discovery.discover("svc");
    reads.set(0);
    f.pick("svc", 640, ClientContext.none());
    assertThat(reads.get()).isLessThanOrEqualTo(2 * 10 + 2);
  }

  @Test
  @DisplayName("1 in 64 warm calls is timed, per picking thread, and every warm call counts as a hit")
  void oneInSixtyFourIsTimed() throws Exception {
    Fixture f = new Fixture(MESH_ONLY, b -> b.source(mesh(3)));
    f.discovery.discover("svc"); // cold: timed
    f.pick("svc", 640, ClientContext.none());
    assertThat(f.telemetry.timerCount("orchestra.discovery.latency", "service", "svc")).isEqualTo(1 + 10);
    Thread other = new Thread(() -> f.pick("svc", 640, ClientContext.none()));
    other.start();
    other.join();
    // The other thread counts in its own stripe (or shares one: then between 10 and 20 more).
    assertThat(f.telemetry.timerCount("orchestra.discovery.latency", "service", "svc")).isBetween(21L, 31L);
    assertThat(f.telemetry.count("orchestra.discovery.cache", "service", "svc", "result", "hit")).isEqualTo(1280);
  }

  @Test
  @DisplayName("past the due time the warm path refreshes again, at once, without any other clock read")
  void dueEntriesStillRefresh() {
    FlakySource mesh = mesh(1);
    Fixture f = new Fixture(MESH_ONLY, b -> b.source(mesh));
    f.discovery.discover("svc");
    int calls = mesh.calls.get();
    f.time.advance(Duration.ofSeconds(23)); // the earliest jittered due time is 24 s
    f.discovery.discover("svc");
    assertThat(mesh.calls.get()).isEqualTo(calls);
    f.time.advance(Duration.ofSeconds(7));
    f.discovery.discover("svc");
    assertThat(mesh.calls.get()).isEqualTo(calls + 1);
  }

  @Test
  @DisplayName("a refresh that fails while the entry is fresh moves the due time earlier, and picks notice it")
  void failedRefreshRetriesBeforeTheTtl() {
    FlakySource mesh = mesh(1);
    Fixture f = new Fixture(MESH_ONLY, b -> b.source(mesh));
    f.discovery.discover("svc");
    f.time.advance(Duration.ofSeconds(5));
    mesh.mode = FlakySource.Mode.FAIL;
    f.discovery.refresh("svc"); // e.g. a watch notification; fails: retry due in 1 s
    int calls = mesh.calls.get();
    mesh.mode = FlakySource.Mode.ANSWER;
    f.discovery.discover("svc");
    assertThat(mesh.calls.get()).isEqualTo(calls);
    f.time.advance(Duration.ofSeconds(1));
    f.discovery.discover("svc");
    assertThat(mesh.calls.get()).as("the retry, long before the 24-30 s TTL").isEqualTo(calls + 1);
    // Fresh again after the successful retry: no further fetch until the next due time.
    f.pick("svc", 100, ClientContext.none());
    assertThat(mesh.calls.get()).isEqualTo(calls + 1);
  }

  private static FlakySource mesh(int n) {
    FlakySource mesh = new FlakySource();
    java.util.ArrayList<io.orchestra.core.instance.ServiceInstance> list = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(Fixture.instance("svc", i, 1));
    }
    mesh.instances = List.copyOf(list);
    return mesh;
  }
}

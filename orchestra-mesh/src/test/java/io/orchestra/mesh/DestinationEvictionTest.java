package io.orchestra.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.resilience.CircuitState;
import io.orchestra.core.telemetry.AccessLogRecord;
import io.orchestra.core.telemetry.MicrometerTelemetrySink;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetryEvent;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.mesh.policy.MeshRetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * A destination not routed to for an idle period leaves with its state and meters, never while
 * it is in use, and comes back afresh when routed to again.
 */
class DestinationEvictionTest {
  private static final Duration IDLE = Duration.ofMinutes(1);
  private static final String REQUESTS = "orchestra.mesh.requests";

  private final VirtualTime time = new VirtualTime();
  private final ScriptedTransport transport = new ScriptedTransport();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  /** Every service named {@code s<N>} or a word has one instance, on a port of its own. */
  private final Map<String, Integer> ports = new ConcurrentHashMap<>();
  private final InstanceSource source =
      service -> List.of(Fixtures.instance(service, service + "-1", ports.computeIfAbsent(service, s -> 20_000 + ports.size())));

  private TrafficManager manager(TelemetrySink sink, Duration idle) {
    return Fixtures.manager(time, source, transport)
        .telemetry(sink)
        .config(Fixtures.permissiveConfig()
            .traffic(TrafficConfig.builder()
                .retryPolicy(MeshRetryPolicy.builder().maxRetries(0).perTryTimeout(Duration.ofHours(1)).build())
                .timeout(Duration.ofHours(1))
                .destinationIdleTimeout(idle)
                .build())
            .build())
        .build();
  }

  private Response route(TrafficManager m, String service) {
    return Fixtures.now(m.route(Request.get("/x"), service));
  }

  private List<Meter> meters(String service) {
    List<Meter> out = new ArrayList<>();
    for (Meter meter : registry.getMeters()) {
      if (service.equals(meter.getId().getTag("service"))) {
        out.add(meter);
      }
    }
    return out;
  }

  private long requests(String service) {
    var timer = registry.find(REQUESTS).tag("service", service).timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void anIdleDestination_leavesWithEveryMeter_andIsRoutedAfreshLater() {
    TrafficManager m = manager(new MicrometerTelemetrySink(registry), IDLE);
    transport.answer(ports.computeIfAbsent("orders", s -> 9001), 500);
    route(m, "orders");
    route(m, "orders");
    route(m, "payments");
    assertThat(meters("orders")).extracting(x -> x.getId().getName())
        .contains(REQUESTS, "orchestra.mesh.attempts", "orchestra.mesh.retries", "orchestra.mesh.retry.budget.exhausted");

    time.advance(IDLE);
    route(m, "payments"); // first sweep: both were used since the start, both stay
    assertThat(meters("orders")).isNotEmpty();
    time.advance(IDLE);
    route(m, "payments"); // second sweep: orders was not used since the first

    assertThat(meters("orders")).isEmpty();
    assertThat(requests("payments")).isEqualTo(3);

    transport.answer(9001, 200);
    assertThat(route(m, "orders").status()).isEqualTo(200);
    assertThat(registry.get(REQUESTS).tags("service", "orders", "status", "200").timer().count()).isEqualTo(1);
    assertThat(registry.find(REQUESTS).tags("service", "orders", "status", "500").timer()).isNull();
  }

  @Test
  void aDestinationUsedInEveryPeriod_keepsItsMeters() {
    TrafficManager m = manager(new MicrometerTelemetrySink(registry), IDLE);
    for (int i = 0; i < 30; i++) {
      route(m, "orders");
      time.advance(Duration.ofSeconds(50));
    }
    assertThat(requests("orders")).isEqualTo(30);
  }

  @Test
  void aDestinationWithAnAttemptInFlight_stays_andItsAnswerIsRecorded() {
    TrafficManager m = manager(new MicrometerTelemetrySink(registry), IDLE);
    transport.hang(ports.computeIfAbsent("orders", s -> 9001));
    CompletableFuture<Response> pending = m.route(Request.get("/slow"), "orders").toCompletableFuture();
    for (int i = 0; i < 5; i++) {
      time.advance(IDLE);
      route(m, "payments"); // sweeps
    }
    transport.calls.get(0).future().complete(Response.of(200, "late"));

    assertThat(pending.getNow(null).status()).isEqualTo(200);
    assertThat(requests("orders")).isEqualTo(1);
    // Once answered it is idle like any other, and goes two sweeps later.
    time.advance(IDLE);
    route(m, "payments");
    time.advance(IDLE);
    route(m, "payments");
    assertThat(meters("orders")).isEmpty();
  }

  @Test
  void pollingABreakersState_doesNotKeepAnIdleDestination() {
    TrafficManager m = manager(new MicrometerTelemetrySink(registry), IDLE);
    route(m, "orders");
    assertThat(m.circuitState("orders")).isEqualTo(CircuitState.CLOSED);
    for (int i = 0; i < 2; i++) {
      time.advance(IDLE);
      assertThat(m.circuitState("orders")).isNotNull(); // a dashboard asks, every period
      route(m, "payments");
    }
    assertThat(m.circuitState("orders")).isNull();
    assertThat(meters("orders")).isEmpty();
  }

  @Test
  void aZeroIdleTimeout_keepsEveryDestination() {
    TrafficManager m = manager(new MicrometerTelemetrySink(registry), Duration.ZERO);
    route(m, "orders");
    for (int i = 0; i < 10; i++) {
      time.advance(Duration.ofDays(1));
      route(m, "payments");
    }
    assertThat(requests("orders")).isEqualTo(1);
  }

  @Test
  void servicesThatComeAndGo_doNotGrowTheRegistry() {
    TrafficManager m = manager(new MicrometerTelemetrySink(registry), IDLE);
    for (int i = 0; i < 300; i++) {
      route(m, "s" + i); // each service is used once, in its own 10 s slot
      time.advance(Duration.ofSeconds(10));
    }
    long services = registry.getMeters().stream().map(x -> x.getId().getTag("service")).distinct().count();
    // Only those used in the last two periods (12 slots) can still be there.
    assertThat(services).isBetween(6L, 13L);
  }

  /**
   * Many threads route, in lock-stepped virtual time, mostly to a destination that changes every
   * few periods and now and then to an idle one, while sweeps drop idle destinations. Whatever
   * the interleaving, every request is recorded in a meter that is either still registered or was
   * counted when it was removed: none lands in a destination already dropped.
   */
  @Test
  void requestsRacingTheSweep_areNeverRecordedIntoADroppedDestination() throws Exception {
    CountingSink sink = new CountingSink();
    TrafficManager m = manager(sink, IDLE);
    int threads = 8;
    int steps = 240;
    int perStep = 25;
    CyclicBarrier barrier = new CyclicBarrier(threads + 1);
    AtomicLong routed = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        done.add(pool.submit(() -> {
          SplittableRandom random = new SplittableRandom(seed);
          for (int step = 0; step < steps; step++) {
            barrier.await(30, TimeUnit.SECONDS);
            String busy = "s" + (step / 12) % 6; // each service is busy for four periods
            for (int i = 0; i < perStep; i++) {
              String to = random.nextInt(300) == 0 ? "s" + random.nextInt(6) : busy;
              assertThat(route(m, to).status()).isEqualTo(200);
              routed.incrementAndGet();
            }
            barrier.await(30, TimeUnit.SECONDS);
          }
          return null;
        }));
      }
      done.add(pool.submit(() -> {
        for (int step = 0; step < steps; step++) {
          barrier.await(30, TimeUnit.SECONDS); // the workers route at one instant...
          barrier.await(30, TimeUnit.SECONDS);
          time.advance(Duration.ofSeconds(20)); // ...then time moves a third of a period
        }
        return null;
      }));
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(sink.removals.get()).as("request timers removed").isGreaterThan(20);
    assertThat(sink.lost.get()).as("records into removed meters").isZero();
    assertThat(sink.live() + sink.removed.get()).isEqualTo(routed.get());
  }

  /**
   * Counts {@code orchestra.mesh.requests} records per registered timer; a removed timer's count
   * moves to {@link #removed}, and a record through a removed one is counted as {@link #lost}.
   */
  private static final class CountingSink implements TelemetrySink {
    private final Map<String, CountingTimer> timers = new ConcurrentHashMap<>();
    final AtomicLong removed = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong removals = new AtomicLong();

    private static String key(String name, Tags tags) {
      return name + tags.toMap();
    }

    long live() {
      return timers.values().stream().mapToLong(t -> t.count.get()).sum();
    }

    @Override
    public Counter counter(String name, Tags tags) {
      return amount -> {};
    }

    @Override
    public Timer timer(String name, Tags tags) {
      return name.equals(REQUESTS) ? timers.computeIfAbsent(key(name, tags), k -> new CountingTimer()) : nanos -> {};
    }

    @Override
    public void gauge(String name, Tags tags, DoubleSupplier value) {}

    @Override
    public synchronized void remove(String name, Tags tags) {
      CountingTimer t = timers.remove(key(name, tags));
      if (t != null) {
        synchronized (t) {
          t.removed = true;
          removed.addAndGet(t.count.get());
        }
        removals.incrementAndGet();
      }
    }

    @Override
    public Span startSpan(String name, SpanKind kind, TraceContext context, long parentSpanId, long startEpochNanos) {
      return Span.NOOP;
    }

    @Override
    public void accessLog(AccessLogRecord record) {}

    @Override
    public void event(TelemetryEvent event) {}

    private final class CountingTimer implements TelemetrySink.Timer {
      final AtomicLong count = new AtomicLong();
      boolean removed;

      @Override
      public synchronized void record(long nanos) {
        if (removed) {
          lost.incrementAndGet();
        } else {
          count.incrementAndGet();
        }
      }
    }
  }
}

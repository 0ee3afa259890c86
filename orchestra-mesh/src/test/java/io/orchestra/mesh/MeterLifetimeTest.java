package io.orchestra.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.telemetry.AccessLogRecord;
import io.orchestra.core.telemetry.MicrometerTelemetrySink;
import io.orchestra.core.telemetry.Tags;
import io.orchestra.core.telemetry.TelemetryEvent;
import io.orchestra.core.telemetry.TelemetrySink;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.trace.TraceContext;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.mesh.policy.LoadBalancing;
import io.orchestra.mesh.policy.MeshRetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** The per-instance meters leave the registry with their instance; a returning one starts afresh. */
class MeterLifetimeTest {
  private static final String ATTEMPTS = "orchestra.mesh.attempts";
  private static final ServiceInstance A = Fixtures.instance("orders", "a", 9001);
  private static final ServiceInstance B = Fixtures.instance("orders", "b", 9002);
  private static final ServiceInstance C = Fixtures.instance("orders", "c", 9003);

  private final VirtualTime time = new VirtualTime();
  private final ScriptedTransport transport = new ScriptedTransport();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  /** The instance source's current answer, changed by the tests. */
  private final AtomicReference<List<ServiceInstance>> listed = new AtomicReference<>(List.of(A, B, C));

  private TrafficManager manager(TelemetrySink sink) {
    return manager(sink, service -> service.equals("orders") ? listed.get() : List.of());
  }

  private TrafficManager manager(TelemetrySink sink, InstanceSource source) {
    return Fixtures.manager(time, source, transport)
        .telemetry(sink)
        .config(Fixtures.permissiveConfig()
            .traffic(TrafficConfig.builder()
                .loadBalancing(LoadBalancing.ROUND_ROBIN)
                .circuitBreakerEnabled(false)
                .retryPolicy(MeshRetryPolicy.none())
                .build())
            .build())
        .build();
  }

  private void route(TrafficManager m, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(Fixtures.now(m.route(Request.get("/orders/" + i), "orders")).status()).isIn(200, 500);
    }
  }

  /** The instance tags of every attempts timer in the registry. */
  private Set<String> instancesWithAttemptMeters() {
    Set<String> ids = new TreeSet<>();
    for (Meter meter : registry.find(ATTEMPTS).meters()) {
      ids.add(meter.getId().getTag("instance"));
    }
    return ids;
  }

  private List<Timer> attemptTimers(String instance) {
    return new ArrayList<>(registry.find(ATTEMPTS).tag("instance", instance).timers());
  }

  @Test
  void aDepartedInstancesAttemptTimers_leaveTheRegistry_andTheOthersStay() {
    TrafficManager m = manager(new MicrometerTelemetrySink(registry));
    transport.answer(9001, 200).answer(9003, 200);
    int[] calls = {0};
    transport.behave(9002, r -> CompletableFuture.completedFuture(Response.of(calls[0]++ % 2 == 0 ? 200 : 500, "b")));
    route(m, 12); // round robin: 4 each; b has a success and a server_error timer
    assertThat(instancesWithAttemptMeters()).containsExactly("a", "b", "c");
    assertThat(attemptTimers("b")).extracting(t -> t.getId().getTag("outcome")).containsExactlyInAnyOrder("success", "server_error");
    long aBefore = attemptTimers("a").get(0).count();

    listed.set(List.of(A, C));
    route(m, 4);

    assertThat(instancesWithAttemptMeters()).containsExactly("a", "c");
    assertThat(registry.get(ATTEMPTS).tags("service", "orders", "instance", "a", "outcome", "success").timer().count())
        .isEqualTo(aBefore + 2); // a's timer was kept, not recreated
  }

  @Test
  void anInstanceThatComesBack_getsFreshMeters_thatRecord() {
    TrafficManager m = manager(new MicrometerTelemetrySink(registry));
    route(m, 9);
    assertThat(registry.get(ATTEMPTS).tags("instance", "b").timer().count()).isEqualTo(3);

    listed.set(List.of(A, C));
    route(m, 4);
    assertThat(registry.find(ATTEMPTS).tag("instance", "b").timer()).isNull();

    listed.set(List.of(A, B, C));
    route(m, 6);
    assertThat(registry.get(ATTEMPTS).tags("service", "orders", "instance", "b", "outcome", "success").timer().count())
        .isEqualTo(2); // counted from zero, by a handle that reaches the registry
  }

  @Test
  void aRequestInFlightToAnInstanceThatLeaves_completes_withoutBringingItsMeterBack() {
    TrafficManager m = manager(new MicrometerTelemetrySink(registry));
    transport.hang(9002);
    List<CompletableFuture<Response>> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sent.add(m.route(Request.get("/orders/" + i), "orders").toCompletableFuture());
    }
    listed.set(List.of(A, C));
    route(m, 2); // b is dropped while its request (its first: no timer yet) is in flight
    ScriptedTransport.Call toB =
        transport.calls.stream().filter(c -> c.endpoint().port() == 9002).findFirst().orElseThrow();
    toB.future().complete(Response.of(200, "late"));

    assertThat(sent).allSatisfy(f -> assertThat(f.getNow(null).status()).isEqualTo(200));
    assertThat(instancesWithAttemptMeters()).containsExactly("a", "c");
  }

  @Test
  void aListReadBeforeADepartureButUsedAfterIt_doesNotBringTheInstanceBack() {
    // The source hands one request a list from before b left, as a thread that read it just
    // before the change and reached the rebuild just after would hold.
    AtomicReference<List<ServiceInstance>> staleOnce = new AtomicReference<>();
    InstanceSource source = service -> {
      List<ServiceInstance> stale = staleOnce.getAndSet(null);
      return stale != null ? stale : listed.get();
    };
    TrafficManager m = manager(new MicrometerTelemetrySink(registry), source);
    route(m, 3);
    listed.set(List.of(A, C));
    route(m, 2);
    assertThat(instancesWithAttemptMeters()).containsExactly("a", "c");
    int toB = transport.count(9002);

    List<ServiceInstance> before = List.of(A, B, C);
    for (int i = 0; i < 6; i++) { // six such threads, one after the other: round robin would reach b
      staleOnce.set(before);
      route(m, 1);
    }

    assertThat(transport.count(9002)).isEqualTo(toB);
    assertThat(instancesWithAttemptMeters()).containsExactly("a", "c");
  }

  @Test
  void aSinkWhoseRemoveThrows_doesNotBreakRouting() {
    TrafficManager m = manager(new ThrowingRemoval(new MicrometerTelemetrySink(registry)));
    route(m, 6);
    listed.set(List.of(A, C));
    route(m, 4); // the list change asks the sink to remove b's timer, which throws
    listed.set(List.of(A, B, C));
    route(m, 3);
    assertThat(registry.get(ATTEMPTS).tags("instance", "a").timer().count()).isEqualTo(5);
    // b's meter stayed (the sink could not forget it); its fresh state records into it again.
    assertThat(registry.get(ATTEMPTS).tags("instance", "b").timer().count()).isEqualTo(3);
  }

  @Test
  void routingFromManyThreadsWhileInstancesChurn_throwsNothing_andLeavesNoMeterOfADepartedInstance() throws Exception {
    TrafficManager m = manager(new MicrometerTelemetrySink(registry));
    // Instances come and go under new ids, as in a rolling redeploy; each list keeps "a".
    List<List<ServiceInstance>> lists = new ArrayList<>();
    for (int g = 0; g < 50; g++) {
      lists.add(List.of(A, Fixtures.instance("orders", "gen" + g, 9100 + g), Fixtures.instance("orders", "gen" + (g + 1), 9101 + g)));
    }
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 400; i++) {
            Response r = Fixtures.now(m.route(Request.get("/orders/" + i), "orders"));
            assertThat(r.status()).isEqualTo(200);
          }
          return null;
        }));
      }
      done.add(pool.submit(() -> {
        start.await();
        for (List<ServiceInstance> l : lists) {
          listed.set(l);
          Fixtures.now(m.route(Request.get("/orders/x"), "orders")); // makes sure each list is seen
        }
        return null;
      }));
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS); // rethrows a failure of any thread
      }
    } finally {
      pool.shutdownNow();
    }
    // A thread may have read a list before the last change and rebuilt from it after; the
    // rebuild reads the source again, so no departed instance is back, even for a moment.
    assertThat(instancesWithAttemptMeters()).containsExactlyInAnyOrder("a", "gen49", "gen50");
  }

  /** Delegates to a real sink, except that {@link #remove} throws. */
  private record ThrowingRemoval(TelemetrySink delegate) implements TelemetrySink {
    @Override
    public Counter counter(String name, Tags tags) {
      return delegate.counter(name, tags);
    }

    @Override
    public TelemetrySink.Timer timer(String name, Tags tags) {
      return delegate.timer(name, tags);
    }

    @Override
    public void gauge(String name, Tags tags, DoubleSupplier value) {
      delegate.gauge(name, tags, value);
    }

    @Override
    public void remove(String name, Tags tags) {
      throw new IllegalStateException("remove fails");
    }

    @Override
    public Span startSpan(String name, SpanKind kind, TraceContext context, long parentSpanId, long startEpochNanos) {
      return delegate.startSpan(name, kind, context, parentSpanId, startEpochNanos);
    }

    @Override
    public void accessLog(AccessLogRecord record) {
      delegate.accessLog(record);
    }

    @Override
    public void event(TelemetryEvent event) {
      delegate.event(event);
    }
  }
}

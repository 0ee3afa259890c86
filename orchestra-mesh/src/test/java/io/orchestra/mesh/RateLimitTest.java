package io.orchestra.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.resilience.TokenBucket;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.mesh.policy.AuthorizationPolicy;
import io.orchestra.mesh.policy.MeshPolicies;
import io.orchestra.mesh.policy.RateLimitPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Rate limits through route(): per key, under contention, bounded, surviving a policy swap. */
class RateLimitTest {
  private static final int THREADS = 8;

  private final VirtualTime time = new VirtualTime();
  private final ScriptedTransport transport = new ScriptedTransport();
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private TrafficManager manager(RateLimitPolicy... limits) {
    return Fixtures.manager(time, InstanceSource.of(Fixtures.instances("orders", 9001, 2)), transport)
        .config(MeshConfig.builder()
            .security(SecurityConfig.builder().mtlsEnabled(false).build())
            .observability(ObservabilityConfig.builder().samplingRate(0).build())
            .build())
        .policies(policies(limits))
        .build();
  }

  private static MeshPolicies policies(RateLimitPolicy... limits) {
    MeshPolicies.Builder b = MeshPolicies.builder().authorize(AuthorizationPolicy.allow("all").build());
    for (RateLimitPolicy l : limits) {
      b.rateLimit(l);
    }
    return b.build();
  }

  private static RateLimitPolicy perIdentity(int permits, int burst, int maxKeys) {
    return RateLimitPolicy.builder("per-caller")
        .destinations(List.of("orders"))
        .key(RateLimitPolicy.Key.SOURCE_IDENTITY)
        .limit(TokenBucket.Config.builder().permitsPerPeriod(permits).period(Duration.ofSeconds(1)).burst(burst).build())
        .maxTrackedKeys(maxKeys)
        .build();
  }

  private static MeshRequest as(String identity) {
    return MeshRequest.of(Request.get("/orders"), PeerContext.builder().identity(identity).build());
  }

  /** Eight threads hammer the manager from a latch; returns how many requests were forwarded. */
  private int hammer(TrafficManager m, int perThread, java.util.function.IntFunction<MeshRequest> request) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger limited = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < perThread; i++) {
          Response r = Fixtures.now(m.route(request.apply(thread * perThread + i), "orders"));
          if (r.status() == 200) {
            ok.incrementAndGet();
          } else {
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.headers().get("x-orchestra-rejection")).isEqualTo("rate_limit_exceeded");
            assertThat(r.headers().get("x-orchestra-policy")).isEqualTo("per-caller");
            assertThat(r.headers().get("retry-after")).isNotNull();
            limited.incrementAndGet();
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    assertThat(ok.get() + limited.get()).isEqualTo(THREADS * perThread);
    return ok.get();
  }

  @Test
  void eightThreads_oneCaller_getExactlyTheBurst() throws Exception {
    TrafficManager m = manager(perIdentity(100, 250, 1000));
    // Time stands still: no refill, so exactly the burst gets through, however the threads race.
    assertThat(hammer(m, 100, i -> as("spiffe://x/ns/a/sa/one"))).isEqualTo(250);
    assertThat(transport.total()).isEqualTo(250);

    time.advance(Duration.ofMillis(100)); // refills 10 permits
    assertThat(hammer(m, 10, i -> as("spiffe://x/ns/a/sa/one"))).isEqualTo(10);
  }

  @Test
  void eightThreads_eightCallers_eachGetTheirOwnBucket() throws Exception {
    TrafficManager m = manager(perIdentity(10, 20, 1000));
    // Thread t always calls as caller t: each caller is limited to its own burst of 20.
    assertThat(hammer(m, 50, i -> as("caller-" + (i / 50)))).isEqualTo(THREADS * 20);
  }

  // Repeated: a sweep racing a caller that has just looked its bucket up once granted one extra
  // permit in about 1 run in 150.
  @RepeatedTest(50)
  void trackedKeys_areBounded_andOverflowSharesOneBucket() throws Exception {
    TrafficManager m = manager(perIdentity(1, 1, 16));
    // 800 distinct callers, one request each, no time passing: 16 tracked buckets grant one each,
    // and every later caller shares the one overflow bucket, which grants one more. A bucket
    // created after that grant (its slot reserved before, by one of the other threads) starts
    // empty: the limiter cannot tell a key that the shared bucket served from one it did not.
    int ok = hammer(m, 100, i -> as("caller-" + i));
    assertThat(ok).isBetween(16 + 1 - (THREADS - 1), 16 + 1);

    // Once the tracked buckets have refilled, they are dropped to make room for new callers.
    time.advance(Duration.ofSeconds(2));
    assertThat(Fixtures.now(m.route(as("newcomer"), "orders")).status()).isEqualTo(200);
  }

  @Test
  void aKeyWhoseBucketASweepDropped_isLookedUpAgain_notServedFromTheLastKeySlot() {
    TrafficManager m = manager(perIdentity(1, 1, 1)); // one tracked key
    assertThat(Fixtures.now(m.route(as("a"), "orders")).status()).isEqualTo(200); // "a" tracked, remembered
    time.advance(Duration.ofSeconds(2)); // "a" refills
    assertThat(Fixtures.now(m.route(as("b"), "orders")).status()).isEqualTo(200); // the sweep drops "a"
    // "a" is no longer tracked: it shares the (full) overflow bucket rather than asking the
    // bucket the sweep drained, which would refuse it.
    assertThat(Fixtures.now(m.route(as("a"), "orders")).status()).isEqualTo(200);
    assertThat(Fixtures.now(m.route(as("c"), "orders")).status()).isEqualTo(429); // overflow spent
  }

  @Test
  void headerKey_andDestinationScope() {
    RateLimitPolicy byTenant =
        RateLimitPolicy.builder("per-tenant")
            .key(RateLimitPolicy.Key.HEADER)
            .header("X-Tenant")
            .limit(TokenBucket.Config.of(2, Duration.ofSeconds(1)))
            .destinations(List.of("orders"))
            .build();
    TrafficManager m = manager(byTenant);
    PeerContext p = PeerContext.anonymous();
    for (String tenant : List.of("a", "b")) {
      for (int i = 0; i < 2; i++) {
        Request r = Request.builder("GET", "/orders").header("x-tenant", tenant).build();
        assertThat(Fixtures.now(m.route(MeshRequest.of(r, p), "orders")).status()).isEqualTo(200);
      }
      Request r = Request.builder("GET", "/orders").header("x-tenant", tenant).build();
      assertThat(Fixtures.now(m.route(MeshRequest.of(r, p), "orders")).status()).isEqualTo(429);
    }
  }

  @Test
  void limitState_survivesAPolicySwap_whenThePolicyIsUnchanged() {
    RateLimitPolicy limit = perIdentity(1, 3, 100);
    TrafficManager m = manager(limit);
    for (int i = 0; i < 3; i++) {
      assertThat(Fixtures.now(m.route(as("one"), "orders")).status()).isEqualTo(200);
    }
    m.updatePolicies(policies(limit)); // same name, same settings: buckets are kept
    assertThat(Fixtures.now(m.route(as("one"), "orders")).status()).isEqualTo(429);
    m.updatePolicies(policies(perIdentity(1, 5, 100))); // changed: fresh buckets
    assertThat(Fixtures.now(m.route(as("one"), "orders")).status()).isEqualTo(200);
  }

  @Test
  void rateLimitRunsBeforeTheMethodCheck_asInTheSeed() {
    TrafficManager m = manager(perIdentity(1, 1, 100));
    MeshRequest patch = MeshRequest.of(Request.builder("PATCH", "/orders").build(), PeerContext.builder().identity("one").build());
    Response first = Fixtures.now(m.route(patch, "orders"));
    assertThat(first.status()).isEqualTo(405);
    assertThat(first.headers().get("allow")).isEqualTo("DELETE, GET, POST, PUT");
    assertThat(Fixtures.now(m.route(patch, "orders")).status()).isEqualTo(429);
  }

  /** A ticker that moves on by one microsecond at every read, and counts the reads. */
  private static final class MovingTicker implements io.orchestra.core.time.Ticker {
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public long read() {
      return reads.incrementAndGet() * 1_000L;
    }
  }

  private TrafficManager onMovingTicker(MovingTicker ticker, RateLimitPolicy limit) {
    return Fixtures.manager(time, InstanceSource.of(Fixtures.instances("orders", 9001, 2)), transport)
        .ticker(ticker)
        .config(MeshConfig.builder()
            .security(SecurityConfig.builder().mtlsEnabled(false).build())
            .observability(ObservabilityConfig.builder().samplingRate(0).build())
            .build())
        .policies(policies(limit))
        .build();
  }

  @Test
  void rateLimit_takesTheRequestsStartReading_insteadOfReadingTheTickerAgain() {
    MovingTicker ticker = new MovingTicker();
    TrafficManager m = onMovingTicker(ticker, perIdentity(1000, 1000, 100));
    Fixtures.now(m.route(as("one"), "orders")); // creates the key's bucket
    int before = ticker.reads.get();
    assertThat(Fixtures.now(m.route(as("one"), "orders")).status()).isEqualTo(200);
    // The request's start and its end; the bucket is asked at the start's reading.
    assertThat(ticker.reads.get() - before).isEqualTo(2);
  }

  @Test
  void aNewKeysBucket_withABurstOfOne_grantsItsFirstRequest_whenTheTickerHasMovedOnSinceTheStart() {
    // The bucket is created (full) after the request's start reading; asked at that earlier
    // reading it would look empty for a burst of one.
    MovingTicker ticker = new MovingTicker();
    TrafficManager m = onMovingTicker(ticker, perIdentity(1, 1, 100));
    assertThat(Fixtures.now(m.route(as("first"), "orders")).status()).isEqualTo(200);
    assertThat(Fixtures.now(m.route(as("second"), "orders")).status()).isEqualTo(200);
    assertThat(Fixtures.now(m.route(as("first"), "orders")).status()).isEqualTo(429);
  }
}

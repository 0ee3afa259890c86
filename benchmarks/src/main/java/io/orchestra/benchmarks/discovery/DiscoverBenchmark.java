package io.orchestra.benchmarks.discovery;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.discovery.ClientContext;
import io.orchestra.discovery.LoadBalancing;
import io.orchestra.discovery.ServiceDiscovery;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code ServiceDiscovery.discover()} on a warm cache, per load balancer and instance count
 * (single thread; the call includes the cache lookup, TTL check, pick, breaker check, outstanding
 * count and pick counter). {@code zoned} callers name their zone, so geographic preference picks
 * from the zone's pool; consistent hashing uses a fixed request key.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class DiscoverBenchmark {
  @Param({"10", "100", "1000"})
  public int instances;

  @Param({"ROUND_ROBIN", "WEIGHTED_ROUND_ROBIN", "LEAST_CONNECTIONS", "POWER_OF_TWO_CHOICES", "CONSISTENT_HASH"})
  public String algorithm;

  @Param({"false", "true"})
  public boolean zoned;

  private ServiceDiscovery discovery;
  private ClientContext context;

  @Setup
  public void setUp() {
    LoadBalancing lb = LoadBalancing.valueOf(algorithm);
    discovery = Instances.warmDiscovery(instances, lb);
    ClientContext.Builder b = ClientContext.builder().hashKey("user-42");
    if (zoned) {
      b.zone("zone-1").region("region-1");
    }
    context = b.build();
  }

  @TearDown
  public void tearDown() {
    discovery.close();
  }

  @Benchmark
  public ServiceInstance discover() {
    return discovery.discover(Instances.SERVICE, context);
  }
}

package io.orchestra.benchmarks.discovery;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.discovery.ClientContext;
import io.orchestra.discovery.LoadBalancing;
import io.orchestra.discovery.ServiceDiscovery;
import java.util.List;
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
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.support.ServiceInstanceListSuppliers;

/**
 * Side by side in one run, per instance count: Orchestra's warm {@code discover()} with round
 * robin and with weighted round robin; the seed's literal approach (score and sort every instance
 * on every call); and Spring Cloud LoadBalancer's {@link RoundRobinLoadBalancer} over a fixed
 * instance list ({@code choose(request).block()}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class DiscoverPeersBenchmark {
  @Param({"10", "100", "1000"})
  public int instances;

  private ServiceDiscovery roundRobin;
  private ServiceDiscovery weighted;
  private SeedScoreAndSort seed;
  private RoundRobinLoadBalancer spring;
  private final Request<?> springRequest = new DefaultRequest<>();
  private final ClientContext context = ClientContext.none();
  private long now;

  @Setup
  public void setUp() {
    roundRobin = Instances.warmDiscovery(instances, LoadBalancing.ROUND_ROBIN);
    weighted = Instances.warmDiscovery(instances, LoadBalancing.WEIGHTED_ROUND_ROBIN);
    List<ServiceInstance> list = Instances.of(instances);
    seed = new SeedScoreAndSort(list);
    org.springframework.cloud.client.ServiceInstance[] springInstances =
        new org.springframework.cloud.client.ServiceInstance[list.size()];
    for (int i = 0; i < list.size(); i++) {
      ServiceInstance s = list.get(i);
      springInstances[i] =
          new DefaultServiceInstance(s.id(), s.serviceName(), s.host(), s.port(), false);
    }
    spring =
        new RoundRobinLoadBalancer(
            ServiceInstanceListSuppliers.toProvider(Instances.SERVICE, springInstances),
            Instances.SERVICE);
  }

  @TearDown
  public void tearDown() {
    roundRobin.close();
    weighted.close();
  }

  @Benchmark
  public ServiceInstance orchestraRoundRobin() {
    return roundRobin.discover(Instances.SERVICE, context);
  }

  @Benchmark
  public ServiceInstance orchestraWeighted() {
    return weighted.discover(Instances.SERVICE, context);
  }

  @Benchmark
  public ServiceInstance seedScoreAndSort() {
    return seed.discover(context, now++);
  }

  @Benchmark
  public Object springCloudRoundRobin() {
    return spring.choose(springRequest).block().getServer();
  }
}

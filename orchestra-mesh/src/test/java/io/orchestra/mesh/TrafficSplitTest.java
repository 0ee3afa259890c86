package io.orchestra.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.transport.Request;
import io.orchestra.mesh.policy.MeshPolicies;
import io.orchestra.mesh.policy.RouteMatch;
import io.orchestra.mesh.policy.RouteRule;
import io.orchestra.mesh.policy.ServicePolicy;
import io.orchestra.mesh.policy.StringMatch;
import io.orchestra.mesh.policy.WeightedDestination;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Traffic splitting: rules, stable percentages and weights, subsets, default and fallback. */
class TrafficSplitTest {
  private static final int KEYS = 10_000;

  private final VirtualTime time = new VirtualTime();
  private final ScriptedTransport transport = new ScriptedTransport();

  /** v1 on ports 9100-9102, v2 on 9200, green on 9300, flagged on 9400. */
  private static List<ServiceInstance> fleet(boolean withV2) {
    List<ServiceInstance> list = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      list.add(Fixtures.instance("orders", "v1-" + i, 9100 + i, "version", "v1", "color", "blue"));
    }
    if (withV2) {
      list.add(Fixtures.instance("orders", "v2-0", 9200, "version", "v2", "color", "blue"));
    }
    list.add(Fixtures.instance("orders", "green-0", 9300, "version", "v1", "color", "green"));
    list.add(Fixtures.instance("orders", "flag-0", 9400, "version", "v1", "feature", "enabled"));
    return list;
  }

  private static String subsetOf(int port) {
    return port / 100 == 91 ? "v1" : port == 9200 ? "v2" : port == 9300 ? "green" : "flag";
  }

  private TrafficManager manager(ServicePolicy orders, List<ServiceInstance> fleet) {
    return Fixtures.manager(time, InstanceSource.of(fleet), transport)
        .config(Fixtures.permissiveConfig().build())
        .policies(MeshPolicies.builder().service("orders", orders).build())
        .build();
  }

  private static ServicePolicy.Builder subsets() {
    return ServicePolicy.builder()
        .routeKeyHeader("x-user-id")
        .subset("v1", Fixtures.labels("version", "v1", "color", "blue"))
        .subset("v2", Fixtures.labels("version", "v2"))
        .subset("green", Fixtures.labels("color", "green"))
        .subset("flag", Fixtures.labels("feature", "enabled"));
  }

  private String routeTo(TrafficManager m, Request request) {
    int before = transport.total();
    assertThat(Fixtures.now(m.route(request, "orders")).status()).isEqualTo(200);
    assertThat(transport.total()).isEqualTo(before + 1);
    return subsetOf(transport.calls.get(before).endpoint().port());
  }

  private static Request user(int i, String... headers) {
    Request.Builder b = Request.builder("GET", "/orders").header("x-user-id", "user-" + i);
    for (int h = 0; h < headers.length; h += 2) {
      b.header(headers[h], headers[h + 1]);
    }
    return b.build();
  }

  private Map<String, Integer> spread(TrafficManager m, String... headers) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < KEYS; i++) {
      counts.merge(routeTo(m, user(i, headers)), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void canary90to10_isWithinOnePercent_overTenThousandKeys() {
    TrafficManager m =
        manager(subsets().defaultRoute(List.of(WeightedDestination.of("v1", 90), WeightedDestination.of("v2", 10))).build(), fleet(true));
    Map<String, Integer> counts = spread(m);
    assertThat(counts.get("v2") / (double) KEYS).isCloseTo(0.10, within(0.01));
    assertThat(counts.get("v1") / (double) KEYS).isCloseTo(0.90, within(0.01));
    assertThat(counts).containsOnlyKeys("v1", "v2");
  }

  @Test
  void theSameKey_alwaysTakesTheSameRoute() {
    TrafficManager m =
        manager(subsets().defaultRoute(List.of(WeightedDestination.of("v1", 50), WeightedDestination.of("v2", 50))).build(), fleet(true));
    Map<Integer, String> first = new HashMap<>();
    for (int i = 0; i < KEYS; i++) {
      first.put(i, routeTo(m, user(i)));
    }
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < KEYS; i += 7) {
        assertThat(routeTo(m, user(i))).as("user-%s", i).isEqualTo(first.get(i));
      }
    }
    // A new manager (another process) routes every key the same way: the hash is stable.
    TrafficManager other =
        manager(subsets().defaultRoute(List.of(WeightedDestination.of("v1", 50), WeightedDestination.of("v2", 50))).build(), fleet(true));
    for (int i = 0; i < KEYS; i += 13) {
      assertThat(routeTo(other, user(i))).isEqualTo(first.get(i));
    }
  }

  @Test
  void percentageRule_takesItsShareOfMatchingKeys_stably() {
    // The seed's canary rule: x-canary: true and 10 % -> v2; everything else -> v1.
    TrafficManager m =
        manager(
            subsets()
                .rule(RouteRule.builder("canary")
                    .match(RouteMatch.builder().header("x-canary", StringMatch.exact("true")).percentage(10.0).build())
                    .destinations(List.of(WeightedDestination.of("v2")))
                    .build())
                .defaultRoute(List.of(WeightedDestination.of("v1")))
                .build(),
            fleet(true));
    Map<String, Integer> opted = spread(m, "x-canary", "true");
    assertThat(opted.get("v2") / (double) KEYS).isCloseTo(0.10, within(0.01));
    Map<String, Integer> others = spread(m);
    assertThat(others).containsOnlyKeys("v1");
  }

  @Test
  void sourceRule_sendsTheTestEnvironmentToGreen() {
    TrafficManager m =
        manager(
            subsets()
                .rule(RouteRule.builder("blue-green")
                    .match(RouteMatch.builder().source("test-environment").build())
                    .destinations(List.of(WeightedDestination.of("green")))
                    .build())
                .defaultRoute(List.of(WeightedDestination.of("v1")))
                .build(),
            fleet(true));
    PeerContext tester = PeerContext.builder().sourceService("test-environment").build();
    PeerContext web = PeerContext.builder().sourceService("web").build();
    for (int i = 0; i < 50; i++) {
      assertThat(routeWith(m, MeshRequest.of(user(i), tester))).isEqualTo("green");
      assertThat(routeWith(m, MeshRequest.of(user(i), web))).isEqualTo("v1");
    }
  }

  private String routeWith(TrafficManager m, MeshRequest request) {
    int before = transport.total();
    assertThat(Fixtures.now(m.route(request, "orders")).status()).isEqualTo(200);
    return subsetOf(transport.calls.get(before).endpoint().port());
  }

  @Test
  void featureFlag_headerAndHalfOfTheKeys_andPathRegex() {
    TrafficManager m =
        manager(
            subsets()
                .rule(RouteRule.builder("reports-to-green")
                    .match(RouteMatch.builder().path(StringMatch.regex("/reports/[a-z]+")).build())
                    .destinations(List.of(WeightedDestination.of("green")))
                    .build())
                .rule(RouteRule.builder("feature-flag")
                    .match(RouteMatch.builder().header("x-feature-flag", StringMatch.exact("new-feature")).percentage(50.0).build())
                    .destinations(List.of(WeightedDestination.of("flag")))
                    .build())
                .defaultRoute(List.of(WeightedDestination.of("v1")))
                .build(),
            fleet(true));
    Map<String, Integer> flagged = spread(m, "x-feature-flag", "new-feature");
    assertThat(flagged.get("flag") / (double) KEYS).isCloseTo(0.50, within(0.01));
    assertThat(routeTo(m, Request.get("/reports/daily?x=1"))).isEqualTo("green");
    assertThat(routeTo(m, Request.get("/reports/2024"))).isEqualTo("v1");
  }

  @Test
  void emptySubset_skipsTheRule_andFallsBackToEveryInstance() {
    // v2 has no instance: the canary rule cannot apply; with no default route, all instances serve.
    TrafficManager m =
        manager(
            subsets()
                .rule(RouteRule.builder("all-to-v2").destinations(List.of(WeightedDestination.of("v2"))).build())
                .build(),
            fleet(false));
    Map<String, Integer> counts = spread(m);
    assertThat(counts).containsOnlyKeys("v1", "green", "flag");
  }

  @Test
  void weightedSplit_withOneSubsetEmpty_sendsEverythingToTheOther() {
    TrafficManager m =
        manager(subsets().defaultRoute(List.of(WeightedDestination.of("v1", 90), WeightedDestination.of("v2", 10))).build(), fleet(false));
    assertThat(spread(m)).containsOnlyKeys("v1");
  }

  @Test
  void noRules_everyInstanceServes() {
    TrafficManager m = manager(ServicePolicy.empty(), fleet(true));
    assertThat(spread(m)).containsOnlyKeys("v1", "v2", "green", "flag");
  }
}

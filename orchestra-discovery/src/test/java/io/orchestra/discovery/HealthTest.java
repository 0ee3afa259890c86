package io.orchestra.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.discovery.testing.Fixture;
import io.orchestra.discovery.testing.ScriptedTransport;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HealthTest {
  private static final DiscoveryConfig RR =
      DiscoveryConfig.builder().algorithm(LoadBalancing.ROUND_ROBIN).build();

  @Test
  @DisplayName("three failed calls in a row eject an instance for 30 s; it then returns")
  void outlierEjectionAndReturn() {
    Fixture f = new Fixture(RR);
    ServiceInstance[] s = f.register("svc", 1, 1, 1, 1);
    f.discovery.discover("svc");
    for (int i = 0; i < 3; i++) {
      f.discovery.recordResult(s[1], CallOutcome.SERVER_ERROR, 1_000_000);
    }
    assertThat(f.discovery.status(s[1]).ejected()).isTrue();
    assertThat(f.pick("svc", 300, ClientContext.none())).doesNotContainKey("svc-1");
    assertThat(f.telemetry.count("orchestra.discovery.ejections", "service", "svc")).isEqualTo(1);
    assertThat(f.telemetry.events("discovery.ejection")).hasSize(1);

    f.time.advance(Duration.ofSeconds(29));
    assertThat(f.discovery.status(s[1]).ejected()).isTrue();
    f.time.advance(Duration.ofSeconds(1));
    assertThat(f.discovery.status(s[1]).ejected()).isFalse();
    assertThat(f.pick("svc", 400, ClientContext.none())).containsEntry("svc-1", 100);
  }

  @Test
  @DisplayName("each ejection in a row lasts longer: 30 s, 60 s, 90 s ... up to the maximum")
  void ejectionTimeGrows() {
    Fixture f = new Fixture(RR);
    ServiceInstance[] s = f.register("svc", 1, 1, 1, 1);
    f.discovery.discover("svc");
    long[] expectedSeconds = {30, 60, 90};
    for (long expected : expectedSeconds) {
      for (int i = 0; i < 3; i++) {
        f.discovery.recordResult(s[0], CallOutcome.CONNECT_FAILURE, 0);
      }
      assertThat(f.discovery.status(s[0]).ejected()).isTrue();
      f.time.advance(Duration.ofSeconds(expected - 1));
      assertThat(f.discovery.status(s[0]).ejected()).as("still ejected before %s s", expected).isTrue();
      f.time.advance(Duration.ofSeconds(1));
      assertThat(f.discovery.status(s[0]).ejected()).as("back after %s s", expected).isFalse();
    }
  }

  @Test
  @DisplayName("a long quiet period forgives earlier ejections")
  void ejectionMultiplierDecays() {
    Fixture f = new Fixture(RR);
    ServiceInstance[] s = f.register("svc", 1, 1, 1, 1);
    f.discovery.discover("svc");
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 3; i++) {
        f.discovery.recordResult(s[0], CallOutcome.TIMEOUT, 0);
      }
      f.time.advance(Duration.ofSeconds(60));
    }
    f.time.advance(Duration.ofMinutes(10));
    for (int i = 0; i < 3; i++) {
      f.discovery.recordResult(s[0], CallOutcome.TIMEOUT, 0);
    }
    assertThat(f.discovery.status(s[0]).ejections()).isEqualTo(1);
  }

  @Test
  @DisplayName("no more than maxEjectionPercent of the instances is ejected at once")
  void maxEjectionPercent() {
    Fixture f = new Fixture(RR);
    ServiceInstance[] s = f.register("svc", 1, 1, 1, 1);
    f.discovery.discover("svc");
    for (ServiceInstance i : s) {
      for (int k = 0; k < 5; k++) {
        f.discovery.recordResult(i, CallOutcome.SERVER_ERROR, 0);
      }
    }
    long ejected = java.util.Arrays.stream(s).filter(i -> f.discovery.status(i).ejected()).count();
    assertThat(ejected).isEqualTo(2); // 50% of 4
  }

  @Test
  @DisplayName("error rate ejects an instance that fails often without failing three times in a row")
  void errorRateEjection() {
    Fixture f = new Fixture(RR);
    ServiceInstance[] s = f.register("svc", 1, 1, 1, 1);
    f.discovery.discover("svc");
    for (int i = 0; i < 60 && !f.discovery.status(s[2]).ejected(); i++) {
      f.discovery.recordResult(s[2], i % 3 == 2 ? CallOutcome.SUCCESS : CallOutcome.SERVER_ERROR, 0);
      if (i % 3 == 1) {
        f.discovery.recordResult(s[2], CallOutcome.SUCCESS, 0); // break the streak
      }
    }
    assertThat(f.discovery.status(s[2]).consecutiveFailures()).isLessThan(3);
    assertThat(f.discovery.status(s[2]).ejected()).isTrue();
  }

  @Test
  @DisplayName("panic threshold: with fewer than half healthy, traffic spreads over all instances")
  void panicSpreadsOverAll() {
    ScriptedTransport transport = new ScriptedTransport();
    Fixture f = new Fixture(RR, b -> b.transport(transport));
    ServiceInstance[] s = f.register("svc", 1, 1, 1, 1);
    f.discovery.discover("svc");
    transport.answer("10.0.0.1", 503);
    f.time.advance(Duration.ofSeconds(31)); // three failed checks
    assertThat(f.pick("svc", 300, ClientContext.none())).hasSize(3);
    assertThat(f.discovery.inPanic("svc")).isFalse();

    transport.answer("10.0.0.2", 503);
    transport.answer("10.0.0.3", 0);
    f.time.advance(Duration.ofSeconds(31));
    assertThat(f.discovery.status(s[2]).health()).isEqualTo("UNHEALTHY");
    assertThat(f.discovery.inPanic("svc")).isTrue();
    Map<String, Integer> spread = f.pick("svc", 400, ClientContext.none());
    assertThat(spread).hasSize(4).containsValue(100);
    assertThat(f.telemetry.events("discovery.panic")).hasSize(1);
  }

  @Test
  @DisplayName("with panic disabled and nothing healthy, discovery fails naming the service")
  void noHealthyWithoutPanic() {
    ScriptedTransport transport = new ScriptedTransport();
    Fixture f =
        new Fixture(RR.toBuilder().panicThreshold(0).build(), b -> b.transport(transport));
    f.register("svc", 1, 1);
    f.discovery.discover("svc");
    transport.answer("10.0.0.1", 500);
    transport.answer("10.0.0.2", 500);
    f.time.advance(Duration.ofSeconds(31));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.discovery.discover("svc"))
        .isInstanceOf(ServiceUnavailableException.class)
        .hasMessageContaining("'svc'");
  }

  @Test
  @DisplayName("active checks use the registration's method, path and interval, and bring an instance back")
  void activeChecksFollowRegistration() {
    ScriptedTransport transport = new ScriptedTransport();
    Fixture f = new Fixture(RR, b -> b.transport(transport));
    ServiceInstance a = Fixture.instance("svc", 0, 1);
    ServiceInstance b = Fixture.instance("svc", 1, 1);
    f.discovery.register(a, HealthCheck.builder().path("/ready").method("head").interval(Duration.ofSeconds(2)).build());
    f.discovery.register(b);
    f.discovery.discover("svc");
    f.time.advance(Duration.ofSeconds(10));
    assertThat(transport.requests).contains("HEAD 10.0.0.1/ready", "GET 10.0.0.2/health");
    assertThat(transport.requests.stream().filter(r -> r.contains("/ready")).count()).isBetween(4L, 6L);

    transport.answer("10.0.0.1", 500);
    f.time.advance(Duration.ofSeconds(6));
    assertThat(f.discovery.status(a).health()).isEqualTo("UNHEALTHY");
    assertThat(f.pick("svc", 10, ClientContext.none())).containsOnlyKeys("svc-1");
    transport.answer("10.0.0.1", 200);
    f.time.advance(Duration.ofSeconds(2));
    assertThat(f.discovery.status(a).health()).as("one success is not enough").isEqualTo("UNHEALTHY");
    f.time.advance(Duration.ofSeconds(2));
    assertThat(f.discovery.status(a).health()).isEqualTo("HEALTHY");
    assertThat(f.pick("svc", 10, ClientContext.none())).containsKeys("svc-0", "svc-1");
  }

  @Test
  @DisplayName("a health check that never answers fails after its timeout")
  void hangingCheckTimesOut() {
    ScriptedTransport transport = new ScriptedTransport();
    Fixture f = new Fixture(RR, b -> b.transport(transport));
    ServiceInstance[] s = f.register("svc", 1, 1, 1);
    f.discovery.discover("svc");
    transport.answer("10.0.0.1", -1);
    f.time.advance(Duration.ofSeconds(60));
    assertThat(f.discovery.status(s[0]).health()).isEqualTo("UNHEALTHY");
  }

  @Test
  @DisplayName("an instance missing from discovery keeps traffic while healthy and leaves once it also fails")
  void missingButHealthyKeepsTraffic() {
    ScriptedTransport transport = new ScriptedTransport();
    Fixture f = new Fixture(RR, b -> b.transport(transport));
    ServiceInstance[] s = f.register("svc", 1, 1, 1);
    f.discovery.discover("svc");
    // The registry loses the instance (not a deregistration through discovery).
    f.registry.deregister(s[0].id());
    f.discovery.refresh("svc");
    assertThat(f.discovery.status(s[0]).missing()).isTrue();
    assertThat(f.pick("svc", 30, ClientContext.none())).containsKey("svc-0");

    transport.answer("10.0.0.1", 0);
    f.time.advance(Duration.ofSeconds(31));
    assertThat(f.discovery.status(s[0])).isNull();
    assertThat(f.pick("svc", 30, ClientContext.none())).doesNotContainKey("svc-0");
  }

  @Test
  @DisplayName("deregistration through discovery removes the instance at once")
  void deregisterRemovesAtOnce() {
    Fixture f = new Fixture(RR);
    f.register("svc", 1, 1);
    f.discovery.discover("svc");
    assertThat(f.discovery.deregister("svc-0").success()).isTrue();
    assertThat(f.pick("svc", 10, ClientContext.none())).containsOnlyKeys("svc-1");
  }
}

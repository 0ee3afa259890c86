package io.orchestra.examples.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.observability.dashboard.Kpis;
import io.orchestra.observability.dashboard.ServiceHealthDashboard;
import org.junit.jupiter.api.Test;

class DashboardExampleTest {

  @Test
  void theDashboardCountsTheRequestsAndFailures_theMeshReported() throws Exception {
    DashboardExample.Result r = DashboardExample.run(50);
    ServiceHealthDashboard d = r.dashboard();
    Kpis k = d.kpis();
    assertThat(d.known()).isTrue();
    assertThat(k.source()).isEqualTo("access_log");
    assertThat(k.requestCount()).isEqualTo(50);
    assertThat(k.errorCount()).isEqualTo(10); // every fifth call answered 503
    assertThat(k.errorRate()).isEqualTo(0.2);
    assertThat(k.latencyP50Millis()).isPositive().isLessThanOrEqualTo(k.latencyP95Millis());
    assertThat(d.healthScore()).isLessThan(1.0);
    assertThat(d.topIssues()).first().satisfies(t -> {
      assertThat(t.kind()).isEqualTo("error_log");
      assertThat(t.count()).isEqualTo(10);
    });
    assertThat(d.dependencies()).singleElement().satisfies(e -> {
      assertThat(e.caller()).isEqualTo("checkout");
      assertThat(e.callee()).isEqualTo("payments");
      assertThat(e.calls()).isEqualTo(50);
      assertThat(e.errors()).isEqualTo(10);
    });
    assertThat(r.json()).contains("\"serviceName\" : \"payments\"", "\"requestCount\" : 50");
  }
}

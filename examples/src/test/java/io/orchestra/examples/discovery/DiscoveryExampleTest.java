package io.orchestra.examples.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiscoveryExampleTest {

  @Test
  void aCallerInOneZone_isServedInItsZone_andARetryAvoidsTheInstanceAlreadyTried() throws Exception {
    DiscoveryExample.Result r = DiscoveryExample.run();
    assertThat(r.answeredBy()).hasSize(5).containsOnly("orders-east"); // eu-1a, the caller's zone
    assertThat(r.retryInstance()).isEqualTo("orders-2");
    assertThat(r.retryAnsweredBy()).isEqualTo("orders-west");
  }
}

package io.orchestra.examples.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicyFileExampleTest {

  @Test
  void thePolicyFileSplitsEightyTwenty_sendsBetaTestersToV2_andDeniesAdminPaths() throws Exception {
    PolicyFileExample.Result r = PolicyFileExample.run(300);
    assertThat(r.v1() + r.v2()).isEqualTo(300);
    assertThat(r.v2()).isBetween(40, 80); // 20 % by a stable hash of 300 user ids
    assertThat(r.betaOnV2()).isEqualTo(r.beta());
    assertThat(r.deniedStatus()).isEqualTo(403);
    assertThat(r.deniedPolicy()).isEqualTo("no-admin-over-the-mesh");
  }

  @Test
  void theSplitIsStable_sameUsersSameAnswers() throws Exception {
    assertThat(PolicyFileExample.run(100)).isEqualTo(PolicyFileExample.run(100));
  }
}

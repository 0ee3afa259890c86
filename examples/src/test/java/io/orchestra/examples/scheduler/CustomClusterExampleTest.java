package io.orchestra.examples.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CustomClusterExampleTest {

  @Test
  void theSchedulerHonoursSpreadSelectorsAndThePlugin_andExplainsWhatDoesNotFit() throws Exception {
    CustomClusterExample.Result r = CustomClusterExample.run();
    assertThat(r.zonesOfWeb()).containsExactlyInAnyOrder("z1", "z2", "z3"); // one web replica per zone
    assertThat(r.nodesByWorkload().get("db")).singleElement().isIn("n1", "n3"); // the SSD nodes
    assertThat(r.nodesByWorkload().get("report")).containsOnly("spot-1"); // the plugin's preference
    assertThat(r.unschedulable()).startsWith("0/5 nodes fit ml-train").contains("insufficient cpu", "Nearest fix");
    assertThat(r.dbAfterDrain()).isIn("n1", "n3").isNotEqualTo(r.nodesByWorkload().get("db").get(0));
  }
}

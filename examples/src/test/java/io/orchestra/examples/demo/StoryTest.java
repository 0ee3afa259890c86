package io.orchestra.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.examples.demo.DemoResult.Check;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exit code says whether the story happened, not merely whether the demo ran. */
class StoryTest {

  private static DemoResult result(List<Check> checks) {
    return new DemoResult(checks, null, 0, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void aBatchWithoutCompensations_failsItsCheck_andTheExitCodeIsOne() {
    Story story = new Story();
    story.saga(new SagaPhase.Result(40, 40, 0, 0, 0, 0, Map.of(), Map.of()), new LedgerCheck.Verdict(40, 0, 40, 40, 0));
    DemoResult r = result(story.checks());
    assertThat(r.failed()).extracting(Check::name).containsExactly("orders failing at payment and at shipping were compensated");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void aNodeFailureThatNeverRan_isAFailedCheck_notAMissingOne() {
    Story story = new Story();
    story.nodeFailure(null);
    assertThat(story.checks()).singleElement().satisfies(c -> {
      assertThat(c.passed()).isFalse();
      assertThat(c.evidence()).isEqualTo("the node failure did not run");
    });
  }

  @Test
  void aBreakerThatNeverClosed_failsItsCheck() {
    Story story = new Story();
    story.fault(new FaultPhase.Result("inventory-1", 60, 60, 4, List.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN"), Double.NaN));
    assertThat(story.checks()).extracting(Check::passed).containsExactly(true, false);
  }

  @Test
  void whenEveryCheckPasses_theExitCodeIsZero() {
    Story story = new Story();
    story.health(8, 8);
    story.files(true, "dashboard.json, dashboard.html");
    assertThat(result(story.checks()).exitCode()).isZero();
  }
}

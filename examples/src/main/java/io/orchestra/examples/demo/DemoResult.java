package io.orchestra.examples.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one run of the demo did, with the checks that decide its exit code. Immutable.
 *
 * @param checks the story's checks, in order
 * @param placement the placement phase
 * @param healthy instances that passed their health check before traffic started
 * @param mesh authorization and the canary split
 * @param fault retries and the breaker
 * @param nodeFailure the failed node and its replacements
 * @param saga the order batch
 * @param ledger the services' state against the sagas' outcomes
 * @param report the health table and dependency graph
 * @param dashboardJson the dashboard document
 * @param dashboardHtml the page a person can open
 * @param wallTime how long the run took
 */
public record DemoResult(
    List<Check> checks,
    PlacementPhase.Result placement,
    int healthy,
    MeshPolicyPhase.Result mesh,
    FaultPhase.Result fault,
    NodeFailurePhase.Result nodeFailure,
    SagaPhase.Result saga,
    LedgerCheck.Verdict ledger,
    Report.Result report,
    Path dashboardJson,
    Path dashboardHtml,
    Duration wallTime) {

  /**
   * One part of the story the run must have shown.
   *
   * @param name what should have happened
   * @param passed whether it did
   * @param evidence the numbers behind the verdict
   */
  public record Check(String name, boolean passed, String evidence) {}

  /** 0 when every check passed, 1 otherwise. */
  public int exitCode() {
    return checks.stream().allMatch(Check::passed) ? 0 : 1;
  }

  /** The checks that failed. */
  public List<Check> failed() {
    return checks.stream().filter(c -> !c.passed()).toList();
  }
}

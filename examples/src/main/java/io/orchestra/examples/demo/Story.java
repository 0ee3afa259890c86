package io.orchestra.examples.demo;

import io.orchestra.examples.demo.DemoResult.Check;
import io.orchestra.observability.traces.DependencyEdge;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The story the demo must tell, as checks over what the phases measured. A run whose story did
 * not happen (no compensation, no breaker transition, a replica that was not rescheduled...)
 * exits non-zero, so the README's command cannot pass while showing nothing.
 */
final class Story {
  private final List<Check> checks = new ArrayList<>();

  private void check(String name, boolean passed, String format, Object... args) {
    checks.add(new Check(name, passed, String.format(Locale.ROOT, format, args)));
  }

  void placement(PlacementPhase.Result p, int expected) {
    check("every replica was placed", p.placed() == expected && p.failed() == 0, "%d/%d placed", p.placed(), expected);
    check("the scheduler explained a job that fits nowhere", p.unschedulable().contains("Nearest fix"), "%s", p.unschedulable());
  }

  void health(int healthy, int registered) {
    check("every replica passed its HTTP health check", healthy == registered && registered > 0, "%d/%d HEALTHY", healthy, registered);
  }

  void mesh(MeshPolicyPhase.Result m) {
    check("a caller was refused by authorization, with the reason", m.refusedStatus() == 403
        && "authorization_denied".equals(m.refusedReason()) && m.allowedStatus() == 200,
        "refused %d %s by %s; allowed read %d", m.refusedStatus(), m.refusedReason(), m.refusedPolicy(), m.allowedStatus());
    check("the canary got about 10 % of payment traffic, stably per customer",
        m.canaryShare() >= 0.05 && m.canaryShare() <= 0.15 && m.sticky() == m.repeated(),
        "%.1f %% canary; %d/%d sticky", 100 * m.canaryShare(), m.sticky(), m.repeated());
  }

  void fault(FaultPhase.Result f) {
    check("reads kept succeeding while a replica failed, by retrying on others", f.ok() == f.requests() && f.faults() > 0,
        "%d/%d ok, %d faults retried", f.ok(), f.requests(), f.faults());
    check("the failing replica's breaker opened, then closed again", f.opened() && f.closedAgain(), "%s", f.transitions());
  }

  /** {@code n} is null when the node failure never ran (the batch stalled before it). */
  void nodeFailure(NodeFailurePhase.Result n) {
    if (n == null) {
      check("health checks caught the dead node and its replicas were rescheduled", false, "the node failure did not run");
      return;
    }
    check("health checks caught the dead node and its replicas were rescheduled",
        n.affected() > 0 && n.unhealthy() == n.affected() && n.rescheduled() == n.affected(),
        "%s: %d affected, %d unhealthy, %d rescheduled", n.node(), n.affected(), n.unhealthy(), n.rescheduled());
  }

  void saga(SagaPhase.Result s, LedgerCheck.Verdict ledger) {
    check("orders completed", s.completed() > 0, "%d completed", s.completed());
    check("orders failing at payment and at shipping were compensated",
        s.compensatedAtPayment() > 0 && s.compensatedAtShipping() > 0,
        "%d at payment, %d at shipping", s.compensatedAtPayment(), s.compensatedAtShipping());
    check("every saga ended as scripted", s.mismatches() == 0 && s.other() == 0,
        "%d mismatches, %d other", s.mismatches(), s.other());
    check("the services' state matches every saga's outcome, no charge applied twice", ledger.clean(),
        "%d/%d consistent, %d charges for %d charged orders", ledger.consistent(), ledger.consistent() + ledger.inconsistent(),
        ledger.chargesApplied(), ledger.ordersCharged());
  }

  void observability(Report.Result r, Set<String> callees) {
    boolean measured = r.dashboards().stream()
        .filter(d -> callees.contains(d.serviceName()))
        .allMatch(d -> d.known() && d.kpis().requestCount() > 0);
    Set<String> seen = r.dependencies().stream()
        .filter(e -> e.caller().equals("checkout"))
        .map(DependencyEdge::callee)
        .collect(Collectors.toSet());
    check("the observability engine measured every service and drew the dependencies", measured && seen.containsAll(callees),
        "requests %s; checkout calls %s", r.dashboards().stream()
            .map(d -> d.serviceName() + "=" + d.kpis().requestCount()).toList(), seen);
  }

  void files(boolean written, String where) {
    check("the dashboard was written as JSON and HTML", written, "%s", where);
  }

  List<Check> checks() {
    return List.copyOf(checks);
  }
}

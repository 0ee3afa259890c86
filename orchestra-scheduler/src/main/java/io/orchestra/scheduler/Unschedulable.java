package io.orchestra.scheduler;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why a request fits on no node: per filter how many nodes it rejected and for which reasons,
 * and the nearest fixes (changes after which some nodes would fit), best first.
 *
 * <p>Consistent: every count describes one state of the cluster, the one in which the request
 * was found to fit nowhere (for {@link WorkloadScheduler#schedule}, the state its failed decision
 * saw), even while other threads change nodes and placements. So {@code nodes} is the number of
 * nodes in that state, each filter's count is at most {@code nodes}, every node counted is
 * rejected by at least one filter, and the counts of a filter's reasons add up to its count.
 *
 * <p>Immutable.
 *
 * @param workload the request's workload
 * @param nodes how many nodes were considered
 * @param rejections per filter, in pipeline order, only filters that rejected something
 * @param fixes nearest fixes, the one that would open the most nodes first (possibly empty)
 */
public record Unschedulable(
    String workload, int nodes, List<FilterRejection> rejections, List<SuggestedFix> fixes) {

  /** Copies the lists. */
  public Unschedulable {
    rejections = List.copyOf(rejections);
    fixes = List.copyOf(fixes);
  }

  /** The rejection of {@code filter}, or null when it rejected nothing. */
  public FilterRejection rejection(String filter) {
    for (FilterRejection r : rejections) {
      if (r.filter().equals(filter)) {
        return r;
      }
    }
    return null;
  }

  /**
   * A one-line summary, for example {@code "0/20 nodes fit web: resources rejected 8 (insufficient
   * cpu: 8); taint_toleration rejected 12 (untolerated taint dedicated=gpu:NoSchedule: 12). Nearest
   * fix: tolerate dedicated=gpu:NoSchedule: 12 nodes would fit"}.
   */
  public String message() {
    StringBuilder sb = new StringBuilder();
    sb.append("0/").append(nodes).append(" nodes fit ").append(workload);
    String sep = ": ";
    for (FilterRejection r : rejections) {
      sb.append(sep).append(r.filter()).append(" rejected ").append(r.nodes()).append(" (");
      String inner = "";
      for (Map.Entry<String, Integer> e : new TreeMap<>(r.reasons()).entrySet()) {
        sb.append(inner).append(e.getKey()).append(": ").append(e.getValue());
        inner = ", ";
      }
      sb.append(')');
      sep = "; ";
    }
    if (!fixes.isEmpty()) {
      sb.append(". Nearest fix: ").append(fixes.get(0));
      for (int i = 1; i < Math.min(3, fixes.size()); i++) {
        sb.append(", or ").append(fixes.get(i));
      }
    } else if (nodes == 0) {
      sb.append(": the cluster has no nodes");
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return message();
  }
}

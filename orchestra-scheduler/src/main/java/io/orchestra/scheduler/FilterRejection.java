package io.orchestra.scheduler;

import java.util.Map;

/**
 * How many nodes one filter rejected for an unschedulable request, and why.
 *
 * <p>Each filter is judged on every node on its own, so one node may appear under several
 * filters.
 *
 * @param filter the filter name ({@code resources}, {@code taint_toleration} ...)
 * @param nodes how many nodes it rejected
 * @param reasons the reasons, each with the number of nodes it applies to
 */
public record FilterRejection(String filter, int nodes, Map<String, Integer> reasons) {

  /** Copies the reasons. */
  public FilterRejection {
    reasons = Map.copyOf(reasons);
  }
}

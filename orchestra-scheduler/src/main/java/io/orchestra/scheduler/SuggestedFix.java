package io.orchestra.scheduler;

/**
 * A change to the request (or to the cluster) that would make it schedulable on some nodes:
 * computed from the nodes that exactly one filter rejects.
 *
 * @param filter the only filter standing in the way
 * @param change what to change, for example {@code "request cpu <= 1.5"} or {@code "tolerate
 *     dedicated=gpu:NoSchedule"}
 * @param nodes how many nodes would then fit
 */
public record SuggestedFix(String filter, String change, int nodes) {

  @Override
  public String toString() {
    return change + ": " + nodes + (nodes == 1 ? " node" : " nodes") + " would fit";
  }
}

package io.orchestra.scheduler.internal;

/**
 * An inter-workload term (affinity, anti-affinity or spread) compiled against the current groups:
 * which groups it counts, over which topology key. Its per-request counts live in a {@link
 * TermState} at {@link #index} of the request context. Immutable.
 */
final class WorkloadTerm {
  final int index;
  final int keyId;
  final String topologyKey;
  final Group[] groups;
  final boolean selfMatch;
  final int weight;
  final int maxSkew;
  final String description;

  WorkloadTerm(
      int index,
      int keyId,
      String topologyKey,
      Group[] groups,
      boolean selfMatch,
      int weight,
      int maxSkew,
      String description) {
    this.index = index;
    this.keyId = keyId;
    this.topologyKey = topologyKey;
    this.groups = groups;
    this.selfMatch = selfMatch;
    this.weight = weight;
    this.maxSkew = maxSkew;
    this.description = description;
  }
}

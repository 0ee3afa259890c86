package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;

/**
 * One change of a what-if {@link WorkloadScheduler#simulate simulation}, applied in order to a
 * copy of the cluster state.
 */
public sealed interface ClusterChange
    permits ClusterChange.AddNode, ClusterChange.DrainNode, ClusterChange.FailNode, ClusterChange.AddReplicas {

  /** Adds (or replaces) a node. */
  static ClusterChange addNode(NodeInfo node) {
    return new AddNode(node);
  }

  /** Cordons a node and moves each of its placements elsewhere (evict, then place). */
  static ClusterChange drainNode(String nodeId) {
    return new DrainNode(nodeId);
  }

  /** Marks a node failed: its placements are lost and rescheduled elsewhere. */
  static ClusterChange failNode(String nodeId) {
    return new FailNode(nodeId);
  }

  /** Places {@code count} more replicas of {@code request}. */
  static ClusterChange addReplicas(DeploymentRequest request, int count) {
    return new AddReplicas(request, count);
  }

  /**
   * Adds or replaces a node.
   *
   * @param node the node
   */
  record AddNode(NodeInfo node) implements ClusterChange {
    /** Validates. */
    public AddNode {
      Checks.notNull("node", node);
    }
  }

  /**
   * Drains a node.
   *
   * @param nodeId the node
   */
  record DrainNode(String nodeId) implements ClusterChange {
    /** Validates. */
    public DrainNode {
      Checks.notBlank("nodeId", nodeId);
    }
  }

  /**
   * Fails a node.
   *
   * @param nodeId the node
   */
  record FailNode(String nodeId) implements ClusterChange {
    /** Validates. */
    public FailNode {
      Checks.notBlank("nodeId", nodeId);
    }
  }

  /**
   * Adds replicas.
   *
   * @param request what each replica requests
   * @param count how many, at least 1
   */
  record AddReplicas(DeploymentRequest request, int count) implements ClusterChange {
    /** Validates. */
    public AddReplicas {
      Checks.notNull("request", request);
      Checks.positive("count", count);
    }
  }
}

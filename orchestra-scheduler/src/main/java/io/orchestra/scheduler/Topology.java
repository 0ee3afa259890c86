package io.orchestra.scheduler;

/**
 * Well-known topology keys. A topology key names how nodes are grouped into domains for
 * inter-workload affinity, anti-affinity and spreading: {@link #NODE} makes each node its own
 * domain, {@link #ZONE} groups nodes by {@link NodeInfo#zone()}, and any other key groups nodes
 * by the value of that node label (nodes without the label belong to no domain).
 *
 * <p>The same two names work in node selectors and node affinity: {@code node} is the node id
 * and {@code zone} its zone, which is why node labels may not use them.
 */
public final class Topology {
  /** Each node is a domain; also the node id in selectors. */
  public static final String NODE = "node";

  /** Nodes of one zone form a domain; also the node zone in selectors. */
  public static final String ZONE = "zone";

  private Topology() {}

  /** Whether {@code key} is one of the built-in keys. */
  public static boolean isBuiltIn(String key) {
    return NODE.equals(key) || ZONE.equals(key);
  }
}

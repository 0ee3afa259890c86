package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.testing.Race;
import io.orchestra.core.time.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An unschedulable explanation describes one state of the cluster, however fast the cluster
 * moves. Every node of the cluster here fails exactly one filter in every state: "small" nodes
 * fail {@code resources}, "tainted" nodes fail {@code taint_toleration}, and no node ever fits. So
 * in any one state the per-filter counts add up to the number of nodes considered, and no node is
 * "removed" (a removed node is not in the state). Four threads replace, remove and re-add nodes
 * while eight others schedule (or check) the request; an explanation stitched together from
 * several states breaks one of the two. The same race asks {@code feasibleNodes}, which must find
 * nothing: a node read half before and half after a replacement could seem to fit. Bounded by mutation counts, not by time: nothing sleeps.
 */
class ExplanationConsistencyTest {
  private static final int MUTATORS = 4;
  private static final int EXPLAINERS = 8;
  private static final int ROUNDS = 3;
  private static final int STABLE_NODES = 24;
  private static final int MOVING_NODES_PER_MUTATOR = 4;
  private static final int MUTATIONS_PER_MUTATOR = 6_000;

  private final VirtualTime time = new VirtualTime();

  private static NodeInfo small(String id) {
    return node(id, "a", 1, 8192).build();
  }

  private static NodeInfo tainted(String id) {
    return node(id, "b", 8, 8192).taint("dedicated", "gpu", TaintEffect.NO_SCHEDULE).build();
  }

  /** How the explaining threads ask. */
  enum Mode {
    /** {@code schedule}: the explanation of the failed decision. */
    SCHEDULE,
    /** {@code check}: the explanation without placing. */
    CHECK,
    /** {@code feasibleNodes}: no node fits in any state, so the list is empty every time. */
    FEASIBLE
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Mode.class)
  @DisplayName("explanations built while 4 threads move the nodes: per-filter counts add up to the nodes of one state")
  void explain_whileNodesMove_describesOneState(Mode mode) throws Exception {
    List<String> violations = new ArrayList<>();
    int explained = 0;
    for (int round = 0; round < ROUNDS; round++) {
      explained += race(mode, violations);
    }

    assertThat(explained).isPositive();
    assertThat(violations).as("explanations that mix states, of %d", explained).isEmpty();
  }

  /** One race; adds what it finds to {@code out} and returns how many explanations it checked. */
  private int race(Mode mode, List<String> out) throws Exception {
    ClusterState cluster = new ClusterState(time);
    for (int i = 0; i < STABLE_NODES; i++) {
      cluster.putNode(i % 2 == 0 ? small("stable-" + i) : tainted("stable-" + i));
    }
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).build();
    // 2 cpu: more than a small node has; no toleration for the tainted ones.
    DeploymentRequest request = DeploymentRequest.builder("web").resources(2, 1).build();

    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicInteger explanations = new AtomicInteger();
    List<Callable<Void>> mutators = new ArrayList<>();
    for (int m = 0; m < MUTATORS; m++) {
      int thread = m;
      mutators.add(() -> {
        for (int i = 0; i < MUTATIONS_PER_MUTATOR; i++) {
          String id = "moving-" + thread + "-" + (i % MOVING_NODES_PER_MUTATOR);
          switch ((i / MOVING_NODES_PER_MUTATOR) % 3) {
            case 0 -> cluster.putNode(small(id)); // added
            case 1 -> cluster.putNode(tainted(id)); // replaced: now fails another filter
            default -> cluster.removeNode(id);
          }
        }
        return null;
      });
    }
    List<Race.Read> explainers = new ArrayList<>();
    for (int e = 0; e < EXPLAINERS; e++) {
      explainers.add(() -> {
        explanations.incrementAndGet();
        String broken = explainOnce(mode, scheduler, request);
        if (broken != null) {
          violations.add(broken);
        }
      });
    }
    Race.run(mutators, explainers);

    out.addAll(violations);
    return explanations.get();
  }

  /** One ask in {@code mode}; what makes its answer impossible in any one state, or null. */
  private static String explainOnce(Mode mode, WorkloadScheduler scheduler, DeploymentRequest request) {
    Unschedulable why;
    switch (mode) {
      case FEASIBLE -> {
        List<String> feasible = scheduler.feasibleNodes(request);
        return feasible.isEmpty() ? null : "feasibleNodes: " + feasible;
      }
      case CHECK -> {
        Optional<Unschedulable> checked = scheduler.check(request);
        if (checked.isEmpty()) {
          return "check: found a fitting node";
        }
        why = checked.get();
      }
      default -> {
        SchedulingResult r = Fixtures.join(scheduler.schedule(request));
        if (r.success()) {
          return "schedule: placed on " + r.nodeId();
        }
        why = r.unschedulable();
      }
    }
    String broken = inconsistency(why);
    return broken == null ? null : mode.name().toLowerCase(java.util.Locale.ROOT) + ": " + broken + ": " + why.message();
  }

  /** What makes {@code why} impossible in any one state of this cluster, or null. */
  private static String inconsistency(Unschedulable why) {
    int rejected = 0;
    for (FilterRejection r : why.rejections()) {
      rejected += r.nodes();
      int reasons = r.reasons().values().stream().mapToInt(Integer::intValue).sum();
      if (reasons != r.nodes()) {
        return r.filter() + " counts " + r.nodes() + " nodes but " + reasons + " reasons";
      }
      if (r.reasons().containsKey("node removed")) {
        return "a removed node was considered";
      }
    }
    if (rejected != why.nodes()) {
      return rejected + " rejections for " + why.nodes() + " nodes that each fail exactly one filter";
    }
    int most = STABLE_NODES + MUTATORS * MOVING_NODES_PER_MUTATOR;
    if (why.nodes() < STABLE_NODES || why.nodes() > most) {
      return why.nodes() + " nodes, not between " + STABLE_NODES + " and " + most;
    }
    return null;
  }
}

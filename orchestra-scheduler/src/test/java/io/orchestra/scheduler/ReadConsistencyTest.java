package io.orchestra.scheduler;

import static io.orchestra.scheduler.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.testing.Race;
import io.orchestra.core.time.VirtualTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every read of {@link ClusterState} (and the what-if {@link WorkloadScheduler#simulate}) answers
 * from one state of the cluster while it moves. Two threads add, replace (same capacity, other
 * labels), cordon and remove nodes; two others schedule replicas of one request and terminate or
 * remove them; eight threads read. Every replica requests the same resources and nothing
 * over-commits, so in any one state a node's usage is its placement count times the request and
 * never exceeds what it has, and a snapshot's placements sit on nodes of the same snapshot, as many
 * as the nodes count. Bounded by mutation counts, not by time: nothing sleeps.
 */
class ReadConsistencyTest {
  private static final int NODE_MUTATORS = 2;
  private static final int WORKLOAD_MUTATORS = 2;
  private static final int READERS = 8;
  private static final int STABLE_NODES = 8;
  private static final int MOVING_NODES_PER_MUTATOR = 4;
  private static final int MUTATIONS_PER_MUTATOR = 4_000;
  private static final double CPU = 4;
  private static final double MEMORY = 4096;
  private static final Resources REQUEST = Resources.of(1, 512);

  private final VirtualTime time = new VirtualTime();

  /** The read under test. */
  enum Query {
    NODES,
    NODE,
    NODE_COUNT,
    PLACEMENTS,
    PLACEMENTS_ON,
    PLACEMENTS_OF,
    PLACEMENT,
    COPY,
    SIMULATE
  }

  private static NodeInfo plain(String id) {
    return node(id, "a", CPU, MEMORY).build();
  }

  private static NodeInfo relabelled(String id) {
    return node(id, "b", CPU, MEMORY).label("disk", "ssd").build();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Query.class)
  @DisplayName("reads while 4 threads move nodes and placements: each answer describes one state")
  void read_whileClusterMoves_describesOneState(Query query) throws Exception {
    ClusterState cluster = new ClusterState(time);
    for (int i = 0; i < STABLE_NODES; i++) {
      cluster.putNode(plain("stable-" + i));
    }
    WorkloadScheduler scheduler = Fixtures.scheduler(cluster, time).build();
    DeploymentRequest request = DeploymentRequest.builder("web").resources(REQUEST.cpu(), REQUEST.memory()).build();

    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicInteger reads = new AtomicInteger();
    List<String> placed = new CopyOnWriteArrayList<>();
    List<Callable<Void>> mutators = new ArrayList<>();
    for (int m = 0; m < NODE_MUTATORS; m++) {
      int thread = m;
      mutators.add(() -> {
        for (int i = 0; i < MUTATIONS_PER_MUTATOR; i++) {
          String id = "moving-" + thread + "-" + (i % MOVING_NODES_PER_MUTATOR);
          try {
            switch ((i / MOVING_NODES_PER_MUTATOR) % 4) {
              case 0 -> cluster.putNode(plain(id));
              case 1 -> cluster.putNode(relabelled(id)); // replaced: placements stay
              case 2 -> cluster.setCordoned(id, true);
              default -> cluster.removeNode(id);
            }
          } catch (IllegalStateException | IllegalArgumentException expected) {
            // still holds placements, or already removed: the next round retries
          }
        }
        return null;
      });
    }
    for (int m = 0; m < WORKLOAD_MUTATORS; m++) {
      int thread = m;
      mutators.add(() -> {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < MUTATIONS_PER_MUTATOR; i++) {
          if (mine.size() < 6 && i % 3 != 2) {
            SchedulingResult r = Fixtures.join(scheduler.schedule(request));
            if (r.success()) {
              mine.add(r.containerId());
              placed.add(r.containerId());
            }
          } else if (!mine.isEmpty()) {
            String id = mine.remove(0);
            if (i % 2 == 0) {
              Fixtures.join(scheduler.terminate(id));
            } else {
              cluster.remove(id);
            }
          }
          if (thread == 0 && i % 5 == 0 && !mine.isEmpty()) {
            cluster.setContainerHealthy(mine.get(0), i % 10 == 0);
          }
        }
        return null;
      });
    }
    List<Race.Read> readers = new ArrayList<>();
    for (int r = 0; r < READERS; r++) {
      int thread = r;
      int[] i = {0};
      readers.add(() -> {
        String broken = read(query, cluster, scheduler, request, placed, thread, i[0]++);
        reads.incrementAndGet();
        if (broken != null) {
          violations.add(query + ": " + broken);
        }
      });
    }
    Race.run(mutators, readers);

    assertThat(reads.get()).isPositive();
    assertThat(violations).as("answers that mix states, of %d", reads.get()).isEmpty();
  }

  /** One read of {@code query}; what makes its answer impossible in any one state, or null. */
  private static String read(
      Query query,
      ClusterState cluster,
      WorkloadScheduler scheduler,
      DeploymentRequest request,
      List<String> placed,
      int thread,
      int i) {
    String someNode =
        i % 2 == 0 ? "stable-" + (i % STABLE_NODES) : "moving-" + (thread % NODE_MUTATORS) + "-" + (i % MOVING_NODES_PER_MUTATOR);
    switch (query) {
      case NODES:
        return nodes(cluster.nodes());
      case NODE:
        Optional<NodeStatus> status = cluster.node(someNode);
        return status.map(ReadConsistencyTest::status).orElse(null);
      case NODE_COUNT:
        int count = cluster.nodeCount();
        int most = STABLE_NODES + NODE_MUTATORS * MOVING_NODES_PER_MUTATOR;
        return count < STABLE_NODES || count > most ? count + " nodes, not between " + STABLE_NODES + " and " + most : null;
      case PLACEMENTS:
        return placements(cluster.placements(), null);
      case PLACEMENTS_ON:
        List<Placement> on = cluster.placementsOn(someNode);
        if (on.size() > CPU / REQUEST.cpu()) {
          return on.size() + " placements on one node that fits " + (int) (CPU / REQUEST.cpu());
        }
        for (Placement p : on) {
          if (!p.nodeId().equals(someNode)) {
            return p.containerId() + " on " + p.nodeId() + " listed on " + someNode;
          }
        }
        return placements(on, null);
      case PLACEMENTS_OF:
        return placements(cluster.placementsOf("web"), "web");
      case PLACEMENT:
        if (placed.isEmpty()) {
          return null;
        }
        String id = placed.get(Math.floorMod(i * 31 + thread, placed.size()));
        return cluster.placement(id).filter(p -> !p.containerId().equals(id)).map(p -> "asked " + id + ", got " + p).orElse(null);
      case COPY:
        ClusterState copy = cluster.copy();
        return snapshot(copy.nodes(), copy.placements());
      case SIMULATE:
        SimulationResult sim = scheduler.simulate(List.of(ClusterChange.addReplicas(request, 2)));
        String broken = nodes(sim.nodes());
        if (broken != null) {
          return broken;
        }
        Set<String> ids = new HashSet<>();
        sim.nodes().forEach(s -> ids.add(s.id()));
        for (SimulationResult.SimulatedPlacement p : sim.placements()) {
          if (!ids.contains(p.nodeId())) {
            return "simulated " + p.containerId() + " on " + p.nodeId() + ", not a node of the result";
          }
        }
        return sim.placements().size() + sim.unschedulable().size() == 2 ? null : "2 replicas asked, " + sim;
      default:
        throw new AssertionError(query);
    }
  }

  /** Node statuses of one state: sorted, unique, each {@link #status}. */
  private static String nodes(List<NodeStatus> nodes) {
    String previous = null;
    for (NodeStatus s : nodes) {
      if (previous != null && previous.compareTo(s.id()) >= 0) {
        return "not ordered by unique id: " + previous + " then " + s.id();
      }
      previous = s.id();
      String broken = status(s);
      if (broken != null) {
        return broken;
      }
    }
    return null;
  }

  /** In one state, a node's usage is its placement count times the request, within its capacity. */
  private static String status(NodeStatus s) {
    Resources expected = REQUEST.times(s.placements());
    if (s.used().cpu() != expected.cpu() || s.used().memory() != expected.memory()) {
      return s.id() + " uses " + s.used() + " for " + s.placements() + " placements";
    }
    if (!s.used().fitsIn(s.info().allocatable())) {
      return s.id() + " uses " + s.used() + " of " + s.info().allocatable();
    }
    return null;
  }

  /** Placements of one state: oldest first, unique, of {@code workload} (null: any). */
  private static String placements(List<Placement> placements, String workload) {
    Set<String> ids = new HashSet<>();
    long previous = Long.MIN_VALUE;
    for (Placement p : placements) {
      if (!ids.add(p.containerId())) {
        return "listed twice: " + p.containerId();
      }
      if (p.sequence() <= previous) {
        return "not oldest first at " + p.containerId();
      }
      previous = p.sequence();
      if (workload != null && !p.workload().equals(workload)) {
        return p.containerId() + " of " + p.workload() + " listed for " + workload;
      }
    }
    int most = (STABLE_NODES + NODE_MUTATORS * MOVING_NODES_PER_MUTATOR) * (int) (CPU / REQUEST.cpu());
    return placements.size() > most ? placements.size() + " placements, more than fit" : null;
  }

  /** Nodes and placements of one copy: every placement on a node of the copy, counted there. */
  private static String snapshot(List<NodeStatus> nodes, List<Placement> placements) {
    String broken = nodes(nodes);
    if (broken != null) {
      return broken;
    }
    broken = placements(placements, null);
    if (broken != null) {
      return broken;
    }
    Map<String, Integer> counted = new HashMap<>();
    nodes.forEach(s -> counted.put(s.id(), s.placements()));
    Map<String, Integer> listed = new HashMap<>();
    for (Placement p : placements) {
      if (!counted.containsKey(p.nodeId())) {
        return p.containerId() + " on " + p.nodeId() + ", not a node of the copy";
      }
      listed.merge(p.nodeId(), 1, Integer::sum);
    }
    for (NodeStatus s : nodes) {
      int n = listed.getOrDefault(s.id(), 0);
      if (n != s.placements()) {
        return s.id() + " counts " + s.placements() + " placements, " + n + " listed";
      }
    }
    return null;
  }
}

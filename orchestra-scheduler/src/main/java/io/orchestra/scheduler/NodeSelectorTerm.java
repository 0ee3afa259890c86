package io.orchestra.scheduler;

import io.orchestra.core.internal.Checks;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A conjunction of {@link LabelRequirement}s on node labels, as in Kubernetes node affinity. The
 * required node affinity of a request is a list of terms of which at least one must hold.
 *
 * <p>Immutable and thread-safe.
 *
 * @param requirements at least one requirement; all must hold
 */
public record NodeSelectorTerm(List<LabelRequirement> requirements) {

  /** Validates and copies. */
  public NodeSelectorTerm {
    requirements = List.copyOf(Checks.noNulls("nodeSelectorTerm.requirements", requirements));
    Checks.argument(!requirements.isEmpty(), "nodeSelectorTerm.requirements must not be empty");
  }

  /** A term of the given requirements. */
  public static NodeSelectorTerm of(LabelRequirement... requirements) {
    return new NodeSelectorTerm(List.of(requirements));
  }

  @Override
  public String toString() {
    return requirements.stream().map(Object::toString).collect(Collectors.joining(","));
  }
}

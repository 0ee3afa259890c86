package io.orchestra.saga;

import java.time.Instant;
import java.util.List;

/**
 * The status of one saga, as {@link SagaOrchestrator#getSagaStatus(String)} returns it: from
 * memory while this node runs the saga, otherwise rebuilt from the journal's snapshot and events.
 * Immutable.
 *
 * @param sagaId the id asked for
 * @param status the status; {@link SagaStatus#NOT_FOUND} when the id is unknown (every other
 *     field is then empty or null)
 * @param definitionName the definition, or null
 * @param definitionVersion its version, or 0
 * @param currentStep the index of the step started last
 * @param totalSteps number of steps
 * @param completedSteps number of forward steps completed
 * @param startedAt when the saga started, or null
 * @param finishedAt when it completed, compensated or parked, or null
 * @param steps every step
 * @param deadLetters steps waiting for an operator
 * @param failure why the saga left the happy path, or null
 * @param dataJson the saga data as JSON, or null
 * @param active whether the saga is running or compensating (on this or another node)
 * @param fromMemory whether this node is running it (else it was rebuilt from the journal)
 * @param lastSequence the sequence number of the last event
 */
public record SagaInfo(
    String sagaId,
    SagaStatus status,
    String definitionName,
    int definitionVersion,
    int currentStep,
    int totalSteps,
    int completedSteps,
    Instant startedAt,
    Instant finishedAt,
    List<StepInfo> steps,
    List<DeadLetter> deadLetters,
    String failure,
    String dataJson,
    boolean active,
    boolean fromMemory,
    long lastSequence) {

  /** Copies the lists. */
  public SagaInfo {
    steps = List.copyOf(steps);
    deadLetters = List.copyOf(deadLetters);
  }

  /** The answer for an unknown id (the seed's {@code {sagaId, status: 'not_found'}}). */
  public static SagaInfo notFound(String sagaId) {
    return new SagaInfo(
        sagaId, SagaStatus.NOT_FOUND, null, 0, -1, 0, 0, null, null, List.of(), List.of(), null, null,
        false, false, 0);
  }
}

package io.orchestra.saga;

/**
 * One step of a saga as seen by {@link SagaOrchestrator#getSagaStatus}. Immutable.
 *
 * @param index 0-based position
 * @param name the step name
 * @param status the forward status
 * @param attempts forward attempts made so far
 * @param error the last forward error, or null
 * @param compensation the compensation status
 * @param compensationAttempts compensation attempts made so far
 * @param compensationError the last compensation error, or null
 */
public record StepInfo(
    int index,
    String name,
    StepStatus status,
    int attempts,
    String error,
    CompensationStatus compensation,
    int compensationAttempts,
    String compensationError) {}

/**
 * Sagas: {@link io.orchestra.saga.SagaDefinition}s of steps with compensations, run by a {@link
 * io.orchestra.saga.SagaOrchestrator} that journals every state change and recovers sagas of dead
 * nodes. See docs/saga.md.
 */
package io.orchestra.saga;

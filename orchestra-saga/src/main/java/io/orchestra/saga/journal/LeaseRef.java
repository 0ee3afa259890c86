package io.orchestra.saga.journal;

/**
 * A lease a node believes it holds: the saga and the epoch it was granted at. Immutable.
 *
 * @param sagaId the saga
 * @param epoch the fencing epoch
 */
public record LeaseRef(String sagaId, long epoch) {}

/**
 * Trace types: {@link io.orchestra.observability.traces.TraceData} in, {@link
 * io.orchestra.observability.traces.TraceResult} with hierarchy, metrics and anomalies out, the
 * service {@link io.orchestra.observability.traces.DependencyEdge}s, and the deterministic {@link
 * io.orchestra.observability.traces.TraceSampler}.
 */
package io.orchestra.observability.traces;

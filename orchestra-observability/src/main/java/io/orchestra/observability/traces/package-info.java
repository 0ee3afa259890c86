/**
 * Trace types: {@link io.orchestra.observability.traces.TraceData} in, {@link
 * io.orchestra.observability.traces.TraceResult} with hierarchy, metrics and anomalies out, the
 * service {@link io.orchestra.observability.traces.DependencyEdge}s, the deterministic {@link
 * io.orchestra.observability.traces.TraceSampler}, and the {@link
 * io.orchestra.observability.traces.BufferFullPolicy} of sink spans.
 */
package io.orchestra.observability.traces;

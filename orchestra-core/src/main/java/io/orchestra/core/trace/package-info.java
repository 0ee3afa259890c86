/** W3C Trace Context: {@link io.orchestra.core.trace.TraceContext} and its header codec. */
package io.orchestra.core.trace;

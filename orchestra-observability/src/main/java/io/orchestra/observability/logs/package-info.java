/**
 * Log types: the structured {@link io.orchestra.observability.logs.LogRecord} every ingested line
 * becomes (always masked), the public {@link io.orchestra.observability.logs.SensitiveDataMasker},
 * and {@link io.orchestra.observability.logs.TraceMdc} which puts the current trace into the SLF4J
 * MDC.
 */
package io.orchestra.observability.logs;

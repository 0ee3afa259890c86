/** Test support: an SLF4J provider with a real MDC, and a latch-started race of threads. */
package io.orchestra.observability.testing;

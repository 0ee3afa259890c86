/** Test support: an SLF4J provider with a real MDC. */
package io.orchestra.observability.testing;

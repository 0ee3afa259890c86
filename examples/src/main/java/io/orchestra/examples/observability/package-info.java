/** Giving orchestra-observability to the other engines as their telemetry sink and reading a dashboard. */
package io.orchestra.examples.observability;

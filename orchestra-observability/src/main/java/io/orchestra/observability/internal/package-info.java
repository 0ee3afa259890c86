/**
 * Implementation of orchestra-observability: sketches, roll-up rings, the cardinality guard,
 * baselines, the log parser and masker, the span buffer and trace analysis, correlation, alert
 * state machines and dashboards. Not API: may change without notice.
 */
package io.orchestra.observability.internal;

/**
 * Orchestra observability: {@link io.orchestra.observability.ObservabilityEngine} collects metrics
 * (normalized, rolled up, anomaly-checked), logs (parsed, masked, enriched) and traces (sampled,
 * assembled), correlates them by service and by request, evaluates alert rules and builds service
 * health dashboards. It implements the core {@code TelemetrySink}, so every Orchestra engine can
 * report into it. Sub-packages hold the typed inputs and results; {@code .internal} is not API.
 */
package io.orchestra.observability;

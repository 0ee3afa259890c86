/**
 * Alerting: {@link io.orchestra.observability.alerts.AlertRule}s over metrics and logs, {@link
 * io.orchestra.observability.alerts.Alert}s with their evidence, and the {@link
 * io.orchestra.observability.alerts.Notifier} port with webhook and SLF4J implementations.
 */
package io.orchestra.observability.alerts;

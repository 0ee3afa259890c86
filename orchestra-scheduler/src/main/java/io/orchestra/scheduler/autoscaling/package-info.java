/**
 * Horizontal autoscaling on top of {@link io.orchestra.scheduler.WorkloadScheduler}: {@link
 * io.orchestra.scheduler.autoscaling.Autoscaler} turns metric observations into scaling decisions
 * (tolerance, stabilization, rate policies) and acts on them through the scheduler.
 */
package io.orchestra.scheduler.autoscaling;

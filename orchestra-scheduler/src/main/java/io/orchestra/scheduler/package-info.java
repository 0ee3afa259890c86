/**
 * Orchestra's node scheduler: places containers of workloads on the nodes of a {@link
 * io.orchestra.scheduler.ClusterState} the application feeds, through a filter/score pipeline
 * with reservation that never over-commits, a container runtime port, node-failure rescheduling,
 * drains, what-if simulations and a cluster-autoscaler port.
 *
 * <p>Entry point: {@link io.orchestra.scheduler.WorkloadScheduler}. Autoscaling is in {@code
 * io.orchestra.scheduler.autoscaling}; {@code io.orchestra.scheduler.internal} is not API.
 */
package io.orchestra.scheduler;

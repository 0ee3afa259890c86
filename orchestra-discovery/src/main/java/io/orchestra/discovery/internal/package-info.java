/**
 * The machinery behind {@link io.orchestra.discovery.ServiceDiscovery}: per-service cache
 * entries, instance health and scores, source fan-out and merging, active health checks, and the
 * load-balancer pickers.
 *
 * <p>Not public API: anything here may change without notice.
 */
package io.orchestra.discovery.internal;

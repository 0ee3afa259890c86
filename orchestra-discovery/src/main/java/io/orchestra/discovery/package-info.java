/**
 * Service discovery: {@link io.orchestra.discovery.ServiceDiscovery} finds the instances of a
 * service from several sources (registry, DNS, mesh), keeps them in a multi-tier cache, tracks
 * their health actively and passively, scores them and picks one per call with a load balancer.
 *
 * <p>This package is the public API; {@code io.orchestra.discovery.internal} is not.
 */
package io.orchestra.discovery;

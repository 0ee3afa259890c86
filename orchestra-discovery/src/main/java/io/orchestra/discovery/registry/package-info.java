/**
 * The embedded registry: {@link io.orchestra.discovery.registry.InMemoryRegistry}, the default
 * {@link io.orchestra.discovery.RegistrySource} of a {@link io.orchestra.discovery.ServiceDiscovery}.
 */
package io.orchestra.discovery.registry;

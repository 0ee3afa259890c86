/**
 * A {@link io.orchestra.discovery.RegistrySource} on Apache ZooKeeper through Apache Curator's
 * service discovery recipe: registrations are znodes, and changes reach discovery through
 * ZooKeeper watches rather than polling.
 */
package io.orchestra.discovery.zookeeper;

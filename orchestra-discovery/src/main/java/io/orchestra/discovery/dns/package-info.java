/**
 * DNS as a discovery source: SRV records (priority, weight, port, target) with a fallback to A and
 * AAAA records, resolved through the JDK's own DNS client (JNDI's {@code dns:} provider) against a
 * configurable server.
 */
package io.orchestra.discovery.dns;

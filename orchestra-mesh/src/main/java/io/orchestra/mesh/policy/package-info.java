/**
 * Declarative mesh policies: {@link io.orchestra.mesh.policy.MeshPolicies} and its parts (mTLS
 * trust, authorization, rate limits, per-service routing with subsets and weighted splits, retry
 * and balancing settings). All are immutable, validated when built, and loadable from JSON/YAML
 * through core's {@code ConfigLoader}. A {@code TrafficManager} compiles a document once and swaps
 * it atomically.
 */
package io.orchestra.mesh.policy;

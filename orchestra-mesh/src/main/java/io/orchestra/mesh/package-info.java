/**
 * orchestra-mesh: an in-process traffic manager ({@link io.orchestra.mesh.TrafficManager}) with
 * mTLS identity, authorization, rate limits, circuit breaking, traffic splitting, load balancing,
 * retries and telemetry. Configuration ({@link io.orchestra.mesh.MeshConfig}) is fixed per
 * manager; policies ({@link io.orchestra.mesh.policy}) are swapped atomically at run time. See
 * {@code docs/mesh.md}.
 */
package io.orchestra.mesh;

/**
 * Implementation of the traffic manager. Not API: these classes may change without notice.
 *
 * <p>The request pipeline is {@link io.orchestra.mesh.internal.MeshEngine}; compiled policies are
 * {@link io.orchestra.mesh.internal.PolicySet}; per-destination runtime state (breakers, instance
 * views, budgets, metric handles) is {@link io.orchestra.mesh.internal.DestinationState}.
 */
package io.orchestra.mesh.internal;

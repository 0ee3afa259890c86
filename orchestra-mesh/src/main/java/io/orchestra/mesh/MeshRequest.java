package io.orchestra.mesh;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.transport.Request;

/**
 * A request as the traffic manager sees it: core's {@link Request} (method, path, headers, body,
 * timeout) plus the {@link PeerContext} of whoever sent it. Immutable and thread-safe.
 *
 * <p>The request's timeout, when set, is the overall time allowed (retries included) and replaces
 * the configured overall timeout.
 *
 * @param request the request
 * @param peer who sent it
 */
public record MeshRequest(Request request, PeerContext peer) {

  /** Validates the fields. */
  public MeshRequest {
    Checks.notNull("request", request);
    Checks.notNull("peer", peer);
  }

  /** {@code request} sent by {@code peer}. */
  public static MeshRequest of(Request request, PeerContext peer) {
    return new MeshRequest(request, peer);
  }
}

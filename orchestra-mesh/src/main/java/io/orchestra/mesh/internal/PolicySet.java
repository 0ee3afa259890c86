package io.orchestra.mesh.internal;

import io.orchestra.core.time.Ticker;
import io.orchestra.mesh.MeshConfig;
import io.orchestra.mesh.policy.MeshPolicies;
import io.orchestra.mesh.policy.ServicePolicy;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * One immutable, compiled {@link MeshPolicies} document: the mTLS verifier, the authorization
 * index, the rate limiter and every service's compiled routes. A traffic manager holds exactly one
 * behind an atomic reference and each request reads it once, so a request sees one policy set from
 * start to end. Compiling never happens on the request path.
 */
public final class PolicySet {
  final MeshPolicies source;
  final MtlsVerifier mtls;
  final Authorizer authorizer;
  final RateLimiter rateLimiter;
  final PeerProfiles profiles;
  private final Map<String, CompiledService> services;
  private final CompiledService defaults;

  private PolicySet(MeshPolicies source, MeshConfig config, Ticker ticker, Clock clock, PolicySet previous) {
    this.source = source;
    this.mtls = new MtlsVerifier(source.mtls(), clock);
    int regexSteps = config.security().regexStepsPerChar();
    this.authorizer = new Authorizer(source.authorization(), regexSteps);
    this.profiles = new PeerProfiles(mtls, authorizer);
    this.rateLimiter = new RateLimiter(source.rateLimits(), ticker, previous == null ? null : previous.rateLimiter);
    CompiledRetry defaultRetry = new CompiledRetry(config.traffic().retryPolicy());
    this.defaults = new CompiledService(ServicePolicy.empty(), config.traffic(), defaultRetry, regexSteps);
    Map<String, CompiledService> s = new HashMap<>();
    source.services().forEach((name, p) -> s.put(name, new CompiledService(p, config.traffic(), defaultRetry, regexSteps)));
    this.services = s;
  }

  /**
   * Compiles {@code policies}; rate-limit state of policies that keep their name and settings is
   * carried over from {@code previous} (may be null).
   */
  public static PolicySet compile(
      MeshPolicies policies, MeshConfig config, Ticker ticker, Clock clock, PolicySet previous) {
    return new PolicySet(policies, config, ticker, clock, previous);
  }

  /** The document this set was compiled from. */
  public MeshPolicies source() {
    return source;
  }

  /** The rules for {@code destination}, resolved (callers cache it per destination). */
  DestinationPolicy destination(String destination) {
    return new DestinationPolicy(this, destination);
  }

  CompiledService service(String destination) {
    CompiledService c = services.get(destination);
    return c != null ? c : defaults;
  }
}

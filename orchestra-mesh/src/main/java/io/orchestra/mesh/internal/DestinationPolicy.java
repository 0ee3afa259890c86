package io.orchestra.mesh.internal;

/**
 * One policy set's rules for one destination, resolved once: the authorization rules, the rate
 * limits with their bucket tables, and the compiled traffic policy. A destination's runtime state
 * keeps the one for the current policy set, so a request does one lookup instead of one per
 * concern. Immutable, except that {@link #tables} is a cache that the rate limiter refreshes when
 * a table it holds was dropped (see {@link KeyedBuckets}).
 */
final class DestinationPolicy {
  final PolicySet owner;
  final String destination;
  final Authorizer.Rule[] deny;
  final Authorizer.Rule[] allow;
  final RateLimiter.Limit[] limits;
  final BucketTable[] tables;
  final CompiledService service;

  DestinationPolicy(PolicySet owner, String destination) {
    this.owner = owner;
    this.destination = destination;
    this.deny = owner.authorizer.denyRules(destination);
    this.allow = owner.authorizer.allowRules(destination);
    this.limits = owner.rateLimiter.limits(destination);
    this.tables = new BucketTable[limits.length];
    for (int i = 0; i < limits.length; i++) {
      tables[i] = limits[i].table(destination);
    }
    this.service = owner.service(destination);
  }
}

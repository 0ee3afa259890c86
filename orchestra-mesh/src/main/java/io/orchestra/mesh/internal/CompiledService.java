package io.orchestra.mesh.internal;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.resilience.CircuitBreakerConfig;
import io.orchestra.core.transport.Request;
import io.orchestra.mesh.TrafficConfig;
import io.orchestra.mesh.policy.LoadBalancing;
import io.orchestra.mesh.policy.RouteRule;
import io.orchestra.mesh.policy.ServicePolicy;
import io.orchestra.mesh.policy.StringMatch;
import io.orchestra.mesh.policy.WeightedDestination;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The compiled traffic policy of one destination: subsets as label selectors, rules with their
 * matchers and salted hash buckets, the default route, and the effective balancing, retry,
 * breaker and timeout settings. Immutable; {@link #split} allocates nothing.
 */
final class CompiledService {
  /** No rules: every instance (the seed's "default"). */
  static final Choice DEFAULT_ALL = new Choice("default", -1, 100);
  /** Rules exist but none decided and no default route applies: every instance ("fallback"). */
  static final Choice FALLBACK = new Choice("fallback", -1, 100);

  private static final int PERCENT_BUCKETS = 10_000; // 0.01 % resolution

  final String[] subsetNames;
  private final String[][] subsetKeys;
  private final String[][] subsetValues;
  private final Rule[] rules;
  private final Choice[] defaultRoute;
  private final long defaultSalt;
  final String routeKeyHeader;
  final boolean needsKey;
  final LoadBalancing loadBalancing;
  final CompiledRetry retry;
  final CircuitBreakerConfig breakerConfig;
  final CircuitBreakerConfig instanceBreakerConfig;
  final long timeoutNanos;

  /** @param regexStepsPerChar the regex budget's reads per input character, for the rules */
  CompiledService(ServicePolicy p, TrafficConfig traffic, CompiledRetry defaultRetry, int regexStepsPerChar) {
    Map<String, Map<String, String>> subsets = p.subsets();
    this.subsetNames = subsets.keySet().toArray(new String[0]);
    this.subsetKeys = new String[subsetNames.length][];
    this.subsetValues = new String[subsetNames.length][];
    for (int i = 0; i < subsetNames.length; i++) {
      Map<String, String> labels = subsets.get(subsetNames[i]);
      subsetKeys[i] = labels.keySet().toArray(new String[0]);
      subsetValues[i] = new String[subsetKeys[i].length];
      for (int k = 0; k < subsetKeys[i].length; k++) {
        subsetValues[i][k] = labels.get(subsetKeys[i][k]);
      }
    }
    List<RouteRule> rs = p.rules();
    this.rules = new Rule[rs.size()];
    boolean key = false;
    for (int i = 0; i < rules.length; i++) {
      rules[i] = new Rule(rs.get(i), this, regexStepsPerChar);
      key |= rules[i].percentBuckets >= 0 || rules[i].choices.length > 1;
    }
    this.defaultRoute = choices("default", p.defaultRoute());
    this.defaultSalt = StableHash.hash("default-route#weights");
    this.needsKey = key || defaultRoute.length > 1;
    this.routeKeyHeader = p.routeKeyHeader();
    this.loadBalancing = p.loadBalancing() != null ? p.loadBalancing() : traffic.loadBalancing();
    this.retry = p.retryPolicy() != null ? new CompiledRetry(p.retryPolicy()) : defaultRetry;
    this.breakerConfig = p.circuitBreaker() != null ? p.circuitBreaker() : traffic.circuitBreaker();
    this.instanceBreakerConfig =
        p.instanceCircuitBreaker() != null ? p.instanceCircuitBreaker() : traffic.instanceCircuitBreaker();
    this.timeoutNanos = (p.timeout() != null ? p.timeout() : traffic.timeout()).toNanos();
  }

  /** Whether {@code instance} belongs to subset {@code index}. */
  boolean inSubset(int index, ServiceInstance instance) {
    String[] keys = subsetKeys[index];
    String[] values = subsetValues[index];
    for (int k = 0; k < keys.length; k++) {
      if (!values[k].equals(instance.label(keys[k]))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Chooses the route of a request: the first rule whose match holds and whose weighted subsets
   * have instances, else the default route, else every instance.
   *
   * @param key the stable hash of the request key (only read when {@link #needsKey})
   */
  Choice split(InstanceView view, Request request, String sourceService, long key) {
    if (rules.length == 0 && defaultRoute.length == 0) {
      return DEFAULT_ALL;
    }
    String path = request.path();
    for (Rule r : rules) {
      if (r.matches(request, path, sourceService)
          && (r.percentBuckets < 0 || StableHash.bucket(key, r.percentSalt, PERCENT_BUCKETS) < r.percentBuckets)) {
        Choice c = pick(r.choices, view, key, r.weightSalt);
        if (c != null) {
          return c;
        }
      }
    }
    if (defaultRoute.length > 0) {
      Choice c = pick(defaultRoute, view, key, defaultSalt);
      if (c != null) {
        return c;
      }
    }
    return FALLBACK;
  }

  /** A weighted choice among the choices whose subset has instances, or null when none has. */
  private static Choice pick(Choice[] choices, InstanceView view, long key, long salt) {
    if (choices.length == 1) {
      return view.group(choices[0].subset).isEmpty() ? null : choices[0];
    }
    int total = 0;
    for (Choice c : choices) {
      if (c.weight > 0 && !view.group(c.subset).isEmpty()) {
        total += c.weight;
      }
    }
    if (total == 0) {
      return null;
    }
    int b = StableHash.bucket(key, salt, total);
    int acc = 0;
    for (Choice c : choices) {
      if (c.weight > 0 && !view.group(c.subset).isEmpty()) {
        acc += c.weight;
        if (b < acc) {
          return c;
        }
      }
    }
    return null; // unreachable: b < total
  }

  private Choice[] choices(String rule, List<WeightedDestination> destinations) {
    List<Choice> out = new ArrayList<>(destinations.size());
    for (WeightedDestination d : destinations) {
      out.add(new Choice(rule, subsetIndex(d.subset()), d.weight()));
    }
    return out.toArray(new Choice[0]);
  }

  private int subsetIndex(String name) {
    for (int i = 0; i < subsetNames.length; i++) {
      if (subsetNames[i].equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("undefined subset " + name); // ServicePolicy validated this
  }

  /** The outcome of splitting: a rule (or default/fallback) and a subset (-1: all instances). */
  static final class Choice {
    final String rule;
    final int subset;
    final int weight;

    Choice(String rule, int subset, int weight) {
      this.rule = rule;
      this.subset = subset;
      this.weight = weight;
    }
  }

  private static final class Rule {
    final String name;
    final String[] headerNames;
    final StringMatch[] headerMatches;
    final PathMatch path;
    final String source;
    final int percentBuckets;
    final long percentSalt;
    final long weightSalt;
    final Choice[] choices;
    final int regexStepsPerChar;

    Rule(RouteRule r, CompiledService owner, int regexStepsPerChar) {
      this.regexStepsPerChar = regexStepsPerChar;
      this.name = r.name();
      Map<String, StringMatch> headers = r.match().headers();
      this.headerNames = headers.keySet().toArray(new String[0]);
      this.headerMatches = new StringMatch[headerNames.length];
      for (int i = 0; i < headerNames.length; i++) {
        headerMatches[i] = headers.get(headerNames[i]);
      }
      this.path = r.match().path() == null ? null : PathMatch.of(r.match().path(), regexStepsPerChar);
      this.source = r.match().source();
      Double pct = r.match().percentage();
      this.percentBuckets = pct == null ? -1 : (int) Math.round(pct * (PERCENT_BUCKETS / 100.0));
      // Salted per rule so that two rules' percentages (and a rule's weights) are independent.
      this.percentSalt = StableHash.hash(name + "#percentage");
      this.weightSalt = StableHash.hash(name + "#weights");
      this.choices = owner.choices(name, r.destinations());
    }

    /**
     * Whether the request meets the rule's conditions. A regular expression that cannot be
     * evaluated (a stack overflow in java.util.regex on very long input, or more reads than its
     * {@link RegexBudget}) means the rule does not apply.
     */
    boolean matches(Request request, String path, String sourceService) {
      if (source != null && !source.equals(sourceService)) {
        return false;
      }
      try {
        if (this.path != null && !this.path.matches(path)) {
          return false;
        }
        return PolicyMatching.headersMatch(headerNames, headerMatches, request.headers(), regexStepsPerChar);
      } catch (StackOverflowError | RegexBudgetExceeded e) {
        return false;
      }
    }
  }
}

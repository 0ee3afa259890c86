package io.orchestra.mesh.internal;

import io.orchestra.core.transport.Headers;
import io.orchestra.core.transport.Request;
import io.orchestra.mesh.PeerIdentity;
import io.orchestra.mesh.policy.AuthorizationPolicy;
import io.orchestra.mesh.policy.StringMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiled authorization policies, indexed by destination: DENY policies are checked first (any
 * one denies), then ALLOW policies in declared order (the first one allows); when none applies the
 * request is denied. A policy whose regular expression cannot be evaluated (a stack overflow, or
 * more reads than its {@link RegexBudget}) fails closed: a DENY policy applies, an ALLOW policy
 * does not. Immutable, thread-safe, allocation-free per decision.
 */
final class Authorizer {
  /** The index {@link RequestMetrics#methodIndex} gives every method outside the common ones. */
  private static final int OTHER_METHOD = RequestMetrics.METHODS.length - 1;

  /** The decision when no policy applies: default deny. */
  static final Rule DEFAULT_DENY = new Rule(null, "no ALLOW policy applies (default deny)");

  private final Rule[] rules;
  private final Map<String, Rule[]> denyByDestination;
  private final Map<String, Rule[]> allowByDestination;
  private final Rule[] denyAnywhere;
  private final Rule[] allowAnywhere;

  /** @param regexStepsPerChar the regex budget's reads per input character */
  Authorizer(List<AuthorizationPolicy> policies, int regexStepsPerChar) {
    List<Rule> rules = new ArrayList<>(policies.size());
    Set<String> destinations = new LinkedHashSet<>();
    for (AuthorizationPolicy p : policies) {
      rules.add(new Rule(p, rules.size(), regexStepsPerChar));
      destinations.addAll(p.destinations());
    }
    this.rules = rules.toArray(new Rule[0]);
    this.denyAnywhere = select(rules, null, true);
    this.allowAnywhere = select(rules, null, false);
    Map<String, Rule[]> deny = new HashMap<>();
    Map<String, Rule[]> allow = new HashMap<>();
    for (String d : destinations) {
      deny.put(d, select(rules, d, true));
      allow.put(d, select(rules, d, false));
    }
    this.denyByDestination = deny;
    this.allowByDestination = allow;
  }

  /**
   * Bit {@code i} set when rule {@code i}'s peer conditions (principals, namespaces) hold for
   * {@code peer}; computed once per peer identity (see {@link PeerProfiles}) so the request path
   * does not compare identity strings. Rules from the 65th on are not in the mask.
   */
  long peerMask(PeerIdentity peer) {
    long mask = 0;
    for (int i = 0; i < Math.min(64, rules.length); i++) {
      if (rules[i].peerMatches(peer)) {
        mask |= 1L << i;
      }
    }
    return mask;
  }

  /** The DENY rules that protect {@code destination}, in order. */
  Rule[] denyRules(String destination) {
    Rule[] r = denyByDestination.get(destination);
    return r != null ? r : denyAnywhere;
  }

  /** The ALLOW rules that protect {@code destination}, in order. */
  Rule[] allowRules(String destination) {
    Rule[] r = allowByDestination.get(destination);
    return r != null ? r : allowAnywhere;
  }

  /**
   * The policy that decides {@code request}, or {@link #DEFAULT_DENY}. A policy whose regex
   * exceeded its budget decides through its {@link Rule#overBudget} denial, whose detail says so:
   * a DENY policy's at once, an ALLOW policy's when no later ALLOW policy applies.
   *
   * @param deny the destination's {@link #denyRules}
   * @param allow the destination's {@link #allowRules}
   * @param peerMask {@link #peerMask(PeerIdentity)} of {@code peer}
   */
  static Rule decide(Rule[] deny, Rule[] allow, PeerIdentity peer, long peerMask, Request request) {
    String path = request.path();
    String method = request.method();
    int methodIndex = RequestMetrics.methodIndex(method); // once, for every rule's method condition
    // The catches repeat Rule.applies so that a budget denial can name its policy.
    for (Rule r : deny) {
      try {
        if (r.matches(peer, peerMask, method, methodIndex, path, request.headers())) {
          return r;
        }
      } catch (StackOverflowError e) {
        return r;
      } catch (RegexBudgetExceeded e) {
        return r.overBudget;
      }
    }
    Rule unevaluated = null;
    for (Rule r : allow) {
      try {
        if (r.matches(peer, peerMask, method, methodIndex, path, request.headers())) {
          return r;
        }
      } catch (StackOverflowError e) {
        // does not apply
      } catch (RegexBudgetExceeded e) {
        if (unevaluated == null) {
          unevaluated = r.overBudget;
        }
      }
    }
    return unevaluated != null ? unevaluated : DEFAULT_DENY;
  }

  /** Rules of one action that protect {@code destination} (null: rules for every destination). */
  private static Rule[] select(List<Rule> rules, String destination, boolean deny) {
    List<Rule> out = new ArrayList<>();
    for (Rule r : rules) {
      if (r.deny == deny && (r.destinations.isEmpty() || (destination != null && r.destinations.contains(destination)))) {
        out.add(r);
      }
    }
    return out.toArray(new Rule[0]);
  }

  /** One compiled policy. */
  static final class Rule {
    final String name;
    final boolean deny;
    final String detail;
    private final int index;
    private final List<String> destinations;
    private final String[] principals;
    private final String[] namespaces;
    private final String[] methods;
    /**
     * The method condition as bits by {@link RequestMetrics#methodIndex} for the common methods,
     * so a rule is decided without comparing method strings; methods outside those are compared.
     */
    private final int commonMethods;
    private final PathMatch[] paths;
    /** The path condition when it is one value (the usual case): no array to walk. */
    private final PathMatch onlyPath;
    private final String[] headerNames;
    private final StringMatch[] headerMatches;
    private final int regexStepsPerChar;
    /**
     * The denial when this policy's regex exceeds its budget (null for the denials themselves):
     * for a DENY policy, the policy applying; for an ALLOW policy, the default deny, naming it.
     */
    final Rule overBudget;

    /** A denial that is not a policy: the default deny, or an {@link #overBudget} denial. */
    private Rule(String name, String detail) {
      this.index = -1;
      this.name = name;
      this.deny = true;
      this.detail = detail;
      this.destinations = List.of();
      this.principals = new String[0];
      this.namespaces = new String[0];
      this.methods = new String[0];
      this.commonMethods = 0;
      this.paths = new PathMatch[0];
      this.onlyPath = null;
      this.headerNames = new String[0];
      this.headerMatches = new StringMatch[0];
      this.regexStepsPerChar = 1;
      this.overBudget = null;
    }

    Rule(AuthorizationPolicy p, int index, int regexStepsPerChar) {
      this.index = index;
      this.name = p.name();
      this.deny = p.action() == AuthorizationPolicy.Action.DENY;
      this.detail = (deny ? "DENY" : "ALLOW") + " policy \"" + p.name() + "\" applies";
      this.destinations = p.destinations();
      this.principals = p.principals().toArray(new String[0]);
      this.namespaces = p.namespaces().toArray(new String[0]);
      this.methods = p.methods().toArray(new String[0]);
      this.commonMethods = commonMethodBits(methods);
      this.paths = PathMatch.of(p.paths(), regexStepsPerChar);
      this.onlyPath = paths.length == 1 ? paths[0] : null;
      this.headerNames = p.headers().keySet().toArray(new String[0]);
      this.headerMatches = new StringMatch[headerNames.length];
      for (int i = 0; i < headerNames.length; i++) {
        headerMatches[i] = p.headers().get(headerNames[i]);
      }
      this.regexStepsPerChar = regexStepsPerChar;
      this.overBudget =
          deny
              ? new Rule(name, detail + " (regex step budget exceeded)")
              : new Rule(null, DEFAULT_DENY.detail + "; ALLOW policy \"" + name + "\" not evaluated: regex step budget exceeded");
    }

    boolean allows() {
      return !deny;
    }

    /** Whether the principal and namespace conditions hold. */
    boolean peerMatches(PeerIdentity peer) {
      return (principals.length == 0 || anyIdentity(principals, peer.identity()))
          && (namespaces.length == 0 || anyEqual(namespaces, peer.namespace()));
    }

    /**
     * Whether this policy applies. A regular expression that cannot be evaluated (java.util.regex
     * overflows the stack on very long input for patterns like {@code (/[a-z]+)*}, or reads more
     * than its budget, as {@code (a+)+$} does on a long run of a's) fails closed: a DENY policy
     * then applies, an ALLOW policy does not.
     */
    boolean applies(PeerIdentity peer, long peerMask, String method, String path, Headers headers) {
      return applies(peer, peerMask, method, RequestMetrics.methodIndex(method), path, headers);
    }

    /** {@link #applies(PeerIdentity, long, String, String, Headers)} with the method's index. */
    boolean applies(PeerIdentity peer, long peerMask, String method, int methodIndex, String path, Headers headers) {
      try {
        return matches(peer, peerMask, method, methodIndex, path, headers);
      } catch (StackOverflowError | RegexBudgetExceeded e) {
        return deny;
      }
    }

    /** Whether every condition holds; throws when a regex cannot be evaluated. */
    private boolean matches(PeerIdentity peer, long peerMask, String method, int methodIndex, String path, Headers headers) {
      if (index < 64 ? (peerMask & (1L << index)) == 0 : !peerMatches(peer)) {
        return false;
      }
      if (methods.length > 0
          && (methodIndex < OTHER_METHOD ? (commonMethods & (1 << methodIndex)) == 0 : !anyEqual(methods, method))) {
        return false;
      }
      if (onlyPath != null) {
        if (!onlyPath.matches(path)) {
          return false;
        }
      } else if (paths.length > 0) {
        boolean any = false;
        for (PathMatch m : paths) {
          if (m.matches(path)) {
            any = true;
            break;
          }
        }
        if (!any) {
          return false;
        }
      }
      return PolicyMatching.headersMatchForAccess(headerNames, headerMatches, headers, deny, regexStepsPerChar);
    }

    /** Bit {@code i} set when {@code methods} holds common method {@code i}. */
    private static int commonMethodBits(String[] methods) {
      int bits = 0;
      for (int i = 0; i < OTHER_METHOD; i++) {
        if (anyEqual(methods, RequestMetrics.METHODS[i])) {
          bits |= 1 << i;
        }
      }
      return bits;
    }

    private static boolean anyIdentity(String[] patterns, String identity) {
      for (String p : patterns) {
        if (PolicyMatching.identityMatches(p, identity)) {
          return true;
        }
      }
      return false;
    }

    private static boolean anyEqual(String[] values, String value) {
      if (value == null) {
        return false;
      }
      for (String v : values) {
        if (v.equals(value)) {
          return true;
        }
      }
      return false;
    }
  }
}

package io.orchestra.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.transport.Headers;
import io.orchestra.mesh.PeerIdentity;
import io.orchestra.mesh.SecurityConfig;
import io.orchestra.mesh.policy.AuthorizationPolicy;
import io.orchestra.mesh.policy.StringMatch;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A compiled rule's method and path conditions (method bits by index for the common methods,
 * the single path without an array walk) decide as the plain reading of the policy does: any
 * listed method equal to the request's, and any listed path matching.
 */
class AuthorizationRuleProperties {
  private static final int STEPS = SecurityConfig.defaults().regexStepsPerChar();

  @Property(tries = 3000)
  void methodAndPathConditions_decideAsThePolicySays(
      @ForAll("methodLists") List<String> methods,
      @ForAll("pathLists") List<StringMatch> paths,
      @ForAll("methods") String method,
      @ForAll("requestPaths") String path) {
    AuthorizationPolicy p = AuthorizationPolicy.allow("rule").methods(methods).paths(paths).build();
    Authorizer.Rule rule = new Authorizer.Rule(p, 0, STEPS);
    boolean methodOk = p.methods().isEmpty() || p.methods().contains(method);
    boolean pathOk = p.paths().isEmpty() || p.paths().stream().anyMatch(m -> PathMatch.of(m, STEPS).matches(path));
    boolean expected = methodOk && pathOk;
    PeerIdentity peer = PeerIdentity.anonymous();
    assertThat(rule.applies(peer, -1L, method, path, Headers.empty())).isEqualTo(expected);
    // A method string that is not the interned literal decides the same.
    assertThat(rule.applies(peer, -1L, new String(method), path, Headers.empty())).isEqualTo(expected);
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "OTHER", "PROPFIND");
  }

  @Provide
  Arbitrary<List<String>> methodLists() {
    return methods().list().uniqueElements().ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<StringMatch>> pathLists() {
    Arbitrary<String> values = Arbitraries.of("/orders", "/orders/", "/admin/", "/", "/orders/42");
    Arbitrary<StringMatch> one = Arbitraries.oneOf(values.map(StringMatch::prefix), values.map(StringMatch::exact));
    return one.list().ofMaxSize(3);
  }

  @Provide
  Arbitrary<String> requestPaths() {
    return Arbitraries.of("/orders", "/orders/42", "/orders/42?x=1", "/admin/users", "/", "/ordersx", "/orders?q");
  }
}

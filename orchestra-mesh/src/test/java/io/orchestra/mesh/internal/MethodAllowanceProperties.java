package io.orchestra.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.mesh.SecurityConfig;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The security gate's method check (an array by method index for the common methods, the set for
 * the rest, a reference comparison for a literal GET) decides exactly as the configured set does.
 */
class MethodAllowanceProperties {

  @Property(tries = 1000)
  void allowed_equalsTheConfiguredSet(@ForAll("methodSets") Set<String> allowed, @ForAll("methods") String method) {
    SecurityGate gate = new SecurityGate(SecurityConfig.builder().allowedMethods(allowed).build());
    assertThat(gate.allowed(method)).isEqualTo(allowed.contains(method));
    // An equal string that is not the interned literal gets the same answer.
    assertThat(gate.allowed(new String(method))).isEqualTo(allowed.contains(method));
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "OTHER", "PROPFIND", "TRACE", "CONNECT");
  }

  @Provide
  Arbitrary<Set<String>> methodSets() {
    return methods().set().ofMinSize(1).ofMaxSize(6);
  }
}

package io.orchestra.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.mesh.SecurityConfig;
import io.orchestra.mesh.policy.StringMatch;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A compiled path match decides exactly as the policy's match on the path without its query
 * (which it no longer scans for), including values and paths that contain a {@code ?}.
 */
class PathMatchProperties {

  /** Short strings over a small alphabet, so that prefixes, equal values and '?' are common. */
  @Provide
  Arbitrary<String> pathish() {
    return Arbitraries.strings().withChars("/ab?=").ofMinLength(0).ofMaxLength(8);
  }

  @Property(tries = 3000)
  void exact_decidesAsTheMatchOnThePathPart(@ForAll("pathish") String value, @ForAll("pathish") String path) {
    check(StringMatch.exact(value), path);
    check(StringMatch.exact(value), value);
    check(StringMatch.exact(value), value + "?q=1");
  }

  @Property(tries = 3000)
  void prefix_decidesAsTheMatchOnThePathPart(@ForAll("pathish") String value, @ForAll("pathish") String path) {
    check(StringMatch.prefix(value), path);
    check(StringMatch.prefix(value), value + path);
  }

  @Property(tries = 1000)
  void regex_decidesAsTheMatchOnThePathPart(@ForAll("pathish") String path) {
    check(StringMatch.regex("/a+(/b)?"), path);
    check(StringMatch.regex("[/ab]*"), path);
  }

  private static void check(StringMatch m, String path) {
    boolean expected = m.matches(path, PolicyMatching.pathEnd(path));
    PathMatch compiled = PathMatch.of(m, SecurityConfig.defaults().regexStepsPerChar());
    assertThat(compiled.matches(path)).as("%s on \"%s\"", m, path).isEqualTo(expected);
  }
}

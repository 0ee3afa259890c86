package io.orchestra.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Invariants of path normalization, on paths built from the pieces that matter (slashes, dots,
 * encoded dots and letters, reserved and forbidden encodings, stray {@code %}, backslashes, a
 * query), and agreement with a plain list-based reference model of RFC 3986 6.2.2 and 5.2.4.
 */
class PathNormalizerProperties {

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> piece =
        Arbitraries.of(
            "/", "/", "/", ".", "..", "a", "b", "%2e", "%2E", "%61", "%7e", "%3a", "%3A", "%C3%A9", "%2f", "%5C",
            "%", "%4", "\\", "?", "-", "~");
    Arbitrary<String> body = piece.list().ofMaxSize(12).map(l -> String.join("", l));
    Arbitrary<String> start = Arbitraries.of("/", "/", "/", "", "%2F");
    return Combinators.combine(start, body).as((s, b) -> s + b);
  }

  /** Paths that are already normal: segments of unreserved characters that are not dot segments. */
  @Provide
  Arbitrary<String> normalPaths() {
    Arbitrary<String> segment =
        Arbitraries.strings().withChars("abz09-._~").ofMinLength(1).ofMaxLength(5).filter(s -> !s.equals(".") && !s.equals(".."));
    Arbitrary<String> encoded = Arbitraries.of("%3A", "%20", "%C3%A9", "%25", "%3F");
    Arbitrary<String> seg = Arbitraries.oneOf(segment, segment, encoded);
    Arbitrary<String> path = seg.list().ofMaxSize(6).map(l -> "/" + String.join("/", l));
    Arbitrary<String> tail = Arbitraries.of("", "", "/", "?q=1", "?next=//a/../b%2f", "?");
    return Combinators.combine(path, tail).as((p, t) -> p.equals("/") && t.equals("/") ? p : p + t);
  }

  @Property(tries = 3000)
  void agreesWithTheReferenceModel(@ForAll("paths") String path) {
    assertThat(PathNormalizer.normalize(path)).as(path).isEqualTo(reference(path));
    assertThat(PathNormalizer.ambiguity(path) == null).as(path).isEqualTo(reference(path) != null);
  }

  @Property(tries = 3000)
  void isIdempotent_andANormalFormComesBackAsTheSameInstance(@ForAll("paths") String path) {
    String normal = PathNormalizer.normalize(path);
    if (normal != null) {
      assertThat(PathNormalizer.normalize(normal)).as(path).isSameAs(normal);
    }
  }

  @Property(tries = 3000)
  void output_hasNoDoubleSlash_noDotSegment_noEncodedUnreserved_andTheSameQuery(@ForAll("paths") String path) {
    String normal = PathNormalizer.normalize(path);
    if (normal == null) {
      return;
    }
    int end = PolicyMatching.pathEnd(normal);
    String p = normal.substring(0, end);
    assertThat(p).startsWith("/").doesNotContain("//").doesNotContain("\\");
    assertThat(p.split("/", -1)).as(normal).doesNotContain(".", "..");
    for (int i = p.indexOf('%'); i >= 0; i = p.indexOf('%', i + 1)) {
      String hex = p.substring(i + 1, i + 3);
      assertThat(hex).as(normal).isEqualTo(hex.toUpperCase(Locale.ROOT));
      assertThat(PathNormalizer.isUnreserved(Integer.parseInt(hex, 16))).as(normal).isFalse();
    }
    assertThat(normal.substring(end)).isEqualTo(path.substring(PolicyMatching.pathEnd(path)));
  }

  @Property(tries = 2000)
  void alreadyNormal_isTheSameInstance(@ForAll("normalPaths") String path) {
    String copy = new String(path);
    assertThat(PathNormalizer.normalize(copy)).as(path).isSameAs(copy);
  }

  /** RFC 3986 6.2.2 then 5.2.4 with empty segments dropped, written for clarity, not speed. */
  static String reference(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q);
    if (!path.startsWith("/") || path.contains("\\")) {
      return null;
    }
    StringBuilder decoded = new StringBuilder();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c != '%') {
        decoded.append(c);
        continue;
      }
      if (i + 2 >= path.length() || !path.substring(i + 1, i + 3).matches("[0-9A-Fa-f]{2}")) {
        return null;
      }
      String hex = path.substring(i + 1, i + 3).toUpperCase(Locale.ROOT);
      int v = Integer.parseInt(hex, 16);
      if (v == '/' || v == '\\') {
        return null;
      }
      boolean unreserved = Character.isLetterOrDigit(v) && v < 128 || "-._~".indexOf(v) >= 0;
      decoded.append(unreserved ? String.valueOf((char) v) : "%" + hex);
      i += 2;
    }
    List<String> segments = new ArrayList<>();
    boolean trailingSlash = false;
    String[] parts = decoded.toString().split("/", -1);
    for (int i = 1; i < parts.length; i++) {
      String s = parts[i];
      if (s.isEmpty()) {
        trailingSlash |= i == parts.length - 1;
      } else if (s.equals(".") || s.equals("..")) {
        if (s.equals("..") && !segments.isEmpty()) {
          segments.remove(segments.size() - 1);
        }
        trailingSlash = true;
      } else {
        segments.add(s);
        trailingSlash = false;
      }
    }
    String normal = "/" + String.join("/", segments) + (trailingSlash && !segments.isEmpty() ? "/" : "");
    return normal + query;
  }
}

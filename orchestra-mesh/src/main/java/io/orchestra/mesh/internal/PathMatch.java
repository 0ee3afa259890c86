package io.orchestra.mesh.internal;

import io.orchestra.mesh.policy.StringMatch;
import java.util.List;

/**
 * A {@link StringMatch} compiled for matching request paths, which carry their query: the same
 * decisions as {@code match.matches(path, pathEnd(path))}, without scanning for the {@code ?}
 * unless a regular expression needs the end. A path starts with an exact or prefix value that has
 * no {@code ?} only if its query (if any) starts later, so a plain comparison of the start
 * decides; a value that contains a {@code ?} can never match a path without its query. Immutable.
 */
final class PathMatch {
  private final StringMatch match;
  private final String exact;
  private final String prefix;
  private final boolean never;

  private PathMatch(StringMatch match) {
    this.match = match;
    this.exact = match.exact();
    this.prefix = match.prefix();
    String literal = exact != null ? exact : prefix;
    this.never = literal != null && literal.indexOf('?') >= 0;
  }

  static PathMatch of(StringMatch match) {
    return new PathMatch(match);
  }

  static PathMatch[] of(List<StringMatch> matches) {
    PathMatch[] out = new PathMatch[matches.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = of(matches.get(i));
    }
    return out;
  }

  /** Whether the path part of {@code pathAndQuery} (before any {@code ?}) matches. */
  boolean matches(String pathAndQuery) {
    if (never) {
      return false;
    }
    if (prefix != null) {
      return pathAndQuery.startsWith(prefix);
    }
    if (exact != null) {
      int n = exact.length();
      return pathAndQuery.startsWith(exact) && (pathAndQuery.length() == n || pathAndQuery.charAt(n) == '?');
    }
    return match.matches(pathAndQuery, PolicyMatching.pathEnd(pathAndQuery));
  }

  @Override
  public String toString() {
    return match.toString();
  }
}

package io.orchestra.mesh.internal;

import io.orchestra.mesh.policy.StringMatch;
import java.util.List;

/**
 * A {@link StringMatch} compiled for matching request paths, which carry their query: the same
 * decisions as {@code match.matches(path, pathEnd(path))}, without scanning for the {@code ?}
 * unless a regular expression needs the end. A path starts with an exact or prefix value that has
 * no {@code ?} only if its query (if any) starts later, so a plain comparison of the start
 * decides; a value that contains a {@code ?} can never match a path without its query. A regular
 * expression runs within its {@link RegexBudget}. Immutable.
 */
final class PathMatch {
  private final StringMatch match;
  private final String exact;
  private final String prefix;
  private final boolean never;
  private final int regexStepsPerChar;

  private PathMatch(StringMatch match, int regexStepsPerChar) {
    this.match = match;
    this.regexStepsPerChar = regexStepsPerChar;
    this.exact = match.exact();
    this.prefix = match.prefix();
    String literal = exact != null ? exact : prefix;
    this.never = literal != null && literal.indexOf('?') >= 0;
  }

  /** @param regexStepsPerChar the regex budget's reads per input character */
  static PathMatch of(StringMatch match, int regexStepsPerChar) {
    return new PathMatch(match, regexStepsPerChar);
  }

  static PathMatch[] of(List<StringMatch> matches, int regexStepsPerChar) {
    PathMatch[] out = new PathMatch[matches.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = of(matches.get(i), regexStepsPerChar);
    }
    return out;
  }

  /**
   * Whether the path part of {@code pathAndQuery} (before any {@code ?}) matches.
   *
   * @throws RegexBudgetExceeded when a regular expression exceeds its budget
   */
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
    return RegexBudget.matches(match, pathAndQuery, PolicyMatching.pathEnd(pathAndQuery), regexStepsPerChar);
  }

  @Override
  public String toString() {
    return match.toString();
  }
}

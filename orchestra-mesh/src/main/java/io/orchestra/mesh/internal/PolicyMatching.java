package io.orchestra.mesh.internal;

import io.orchestra.core.transport.Headers;
import io.orchestra.mesh.policy.StringMatch;

/**
 * Allocation-free matching helpers shared by authorization and routing. Header regexes run within
 * their {@link RegexBudget} and throw {@link RegexBudgetExceeded} past it, for the caller to fail
 * closed.
 */
final class PolicyMatching {
  private PolicyMatching() {}

  /**
   * Whether {@code identity} matches {@code pattern}: {@code *} matches any non-null identity, a
   * trailing {@code *} makes a prefix match, anything else must be equal.
   */
  static boolean identityMatches(String pattern, String identity) {
    if (identity == null) {
      return false;
    }
    int last = pattern.length() - 1;
    if (last >= 0 && pattern.charAt(last) == '*') {
      return identity.regionMatches(0, pattern, 0, last);
    }
    return pattern.equals(identity);
  }

  /** The end of the path part of {@code pathAndQuery} (the index of {@code ?}, or the length). */
  static int pathEnd(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    return q < 0 ? pathAndQuery.length() : q;
  }

  /**
   * The first value of header {@code lowerCaseName}, or null. {@link Headers} stores names in
   * lower case, so an exact comparison suffices (cheaper than its case-insensitive {@code get}).
   */
  static String header(Headers headers, String lowerCaseName) {
    for (int i = 0, n = headers.size(); i < n; i++) {
      if (headers.name(i).equals(lowerCaseName)) {
        return headers.value(i);
      }
    }
    return null;
  }

  /**
   * Whether every named header is present and its first value matches (names are lower case).
   * Used by route rules, where a repeated header only decides the route, not access.
   */
  static boolean headersMatch(String[] names, StringMatch[] matches, Headers headers, int regexStepsPerChar) {
    for (int i = 0; i < names.length; i++) {
      if (!RegexBudget.matches(matches[i], header(headers, names[i]), regexStepsPerChar)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether every named header is present and matches, for authorization: a header that is sent
   * more than once matches an ALLOW condition only when every value does, and a DENY condition
   * when any value does, so that repeating a header can neither dodge a DENY policy nor satisfy an
   * ALLOW policy with a second value the destination may not read.
   */
  static boolean headersMatchForAccess(
      String[] names, StringMatch[] matches, Headers headers, boolean deny, int regexStepsPerChar) {
    for (int i = 0; i < names.length; i++) {
      if (!(deny
          ? anyValueMatches(headers, names[i], matches[i], regexStepsPerChar)
          : everyValueMatches(headers, names[i], matches[i], regexStepsPerChar))) {
        return false;
      }
    }
    return true;
  }

  private static boolean anyValueMatches(Headers headers, String lowerCaseName, StringMatch match, int steps) {
    for (int i = 0, n = headers.size(); i < n; i++) {
      if (headers.name(i).equals(lowerCaseName) && RegexBudget.matches(match, headers.value(i), steps)) {
        return true;
      }
    }
    return false;
  }

  private static boolean everyValueMatches(Headers headers, String lowerCaseName, StringMatch match, int steps) {
    boolean present = false;
    for (int i = 0, n = headers.size(); i < n; i++) {
      if (headers.name(i).equals(lowerCaseName)) {
        if (!RegexBudget.matches(match, headers.value(i), steps)) {
          return false;
        }
        present = true;
      }
    }
    return present;
  }
}

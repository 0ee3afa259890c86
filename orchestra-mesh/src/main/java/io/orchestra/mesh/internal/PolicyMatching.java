package io.orchestra.mesh.internal;

import io.orchestra.core.transport.Headers;
import io.orchestra.mesh.policy.StringMatch;

/** Allocation-free matching helpers shared by authorization and routing. */
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

  /** Whether every named header is present and matches (names are lower case). */
  static boolean headersMatch(String[] names, StringMatch[] matches, Headers headers) {
    for (int i = 0; i < names.length; i++) {
      if (!matches[i].matches(header(headers, names[i]))) {
        return false;
      }
    }
    return true;
  }
}

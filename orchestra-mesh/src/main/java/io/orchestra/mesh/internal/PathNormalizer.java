package io.orchestra.mesh.internal;

/**
 * Normalizes the path part of a request's path-with-query before anything matches on it, so that
 * a policy sees the path the destination will act on: a backend typically treats {@code
 * //admin/x}, {@code /./admin/x}, {@code /orders/../admin/x} and {@code /%61dmin/x} as {@code
 * /admin/x}, and a DENY policy on prefix {@code /admin/} must too.
 *
 * <p>What is done, on the part before the first {@code ?} (the query is kept byte for byte):
 * RFC 3986 section 6.2.2 — percent-encoded unreserved characters ({@code ALPHA DIGIT - . _ ~})
 * are decoded and the hex digits of the other percent-encodings upper-cased; then repeated
 * slashes are merged and dot segments removed (section 5.2.4; {@code ..} above the root stays at
 * the root). Slashes are merged before dot segments are removed, so {@code /a//../b} is {@code
 * /b}, as a server that merges slashes on arrival sees it.
 *
 * <p>What is rejected, because backends disagree on what it means and no single normal form is
 * safe: a percent-encoded slash or backslash ({@code %2F}, {@code %5C}), a raw backslash (some
 * servers read it as a separator), a {@code %} not followed by two hex digits, and a path that
 * does not start with {@code /}.
 *
 * <p>Cost: an already normal path (the usual case) is answered by one scan that allocates nothing
 * and returns the same instance; only a path that needs changing is rebuilt. Stateless.
 */
final class PathNormalizer {
  private PathNormalizer() {}

  /**
   * The normalized form of {@code pathAndQuery}: the same instance when it is already normal, a
   * new string when something changed, or null when the path is ambiguous (see {@link
   * #ambiguity}).
   */
  static String normalize(String pathAndQuery) {
    int n = pathAndQuery.length();
    if (n == 0 || pathAndQuery.charAt(0) != '/') {
      return null;
    }
    return clean(pathAndQuery, n) ? pathAndQuery : scan(pathAndQuery, n);
  }

  /**
   * Whether the path part holds none of {@code %}, {@code \\}, {@code //} and {@code /.}: then it
   * is normal as it is. The request path's filter, so one comparison for most characters (those
   * above {@code /}: letters, digits, {@code ?}, {@code \\}, ...); ~10 ns for {@code /orders/42}
   * on the EPYC host, where the full {@link #scan} took ~20.
   */
  private static boolean clean(String pathAndQuery, int n) {
    char previous = 0;
    for (int i = 0; i < n; i++) {
      char c = pathAndQuery.charAt(i);
      if (c > '/') {
        if (c == '?') {
          return true; // the query is not normalized
        }
        if (c == '\\') {
          return false;
        }
      } else if (c == '%' || (previous == '/' && c >= '.')) { // "/." or "//"
        return false;
      }
      previous = c;
    }
    return true;
  }

  /** {@link #normalize} for a path the filter flagged: rejects, rewrites, or returns it as is. */
  private static String scan(String pathAndQuery, int n) {
    // Stops at the query, rejects what is ambiguous, and notes whether any percent-encoding,
    // doubled slash or dot segment needs rewriting (a "/.well-known" needs none).
    boolean change = false;
    for (int i = 0; i < n; i++) {
      char c = pathAndQuery.charAt(i);
      if (c == '?') {
        break;
      } else if (c == '/') {
        if (!change && needsRewriteAfterSlash(pathAndQuery, i + 1, n)) {
          change = true;
        }
      } else if (c == '%') {
        int decoded = percent(pathAndQuery, i, n);
        if (decoded < 0 || decoded == '/' || decoded == '\\') {
          return null;
        }
        if (!change && (isUnreserved(decoded) || isLowerHex(pathAndQuery.charAt(i + 1)) || isLowerHex(pathAndQuery.charAt(i + 2)))) {
          change = true;
        }
        i += 2;
      } else if (c == '\\') {
        return null;
      }
    }
    return change ? rewrite(pathAndQuery) : pathAndQuery;
  }

  /**
   * Why {@code pathAndQuery} is ambiguous (for the rejection's detail), or null when it is not.
   * Only called once a path has been rejected, so it may repeat the scan.
   */
  static String ambiguity(String pathAndQuery) {
    int n = pathAndQuery.length();
    if (n == 0 || pathAndQuery.charAt(0) != '/') {
      return "does not start with '/'";
    }
    for (int i = 0; i < n; i++) {
      char c = pathAndQuery.charAt(i);
      if (c == '?') {
        return null;
      } else if (c == '\\') {
        return "backslash";
      } else if (c == '%') {
        int decoded = percent(pathAndQuery, i, n);
        if (decoded < 0) {
          return "malformed percent-encoding";
        }
        if (decoded == '/') {
          return "encoded slash";
        }
        if (decoded == '\\') {
          return "encoded backslash";
        }
        i += 2;
      }
    }
    return null;
  }

  /** The rejection's detail: names the field and the value. */
  static String rejectionDetail(String pathAndQuery) {
    return "path \"" + pathAndQuery + "\" is ambiguous: " + ambiguity(pathAndQuery);
  }

  /**
   * Whether what follows a slash at {@code i} must be rewritten: another slash, or a {@code .}
   * or {@code ..} segment (ending at a slash, the query or the end).
   */
  private static boolean needsRewriteAfterSlash(String s, int i, int n) {
    if (i >= n) {
      return false;
    }
    char c = s.charAt(i);
    if (c == '/') {
      return true;
    }
    if (c != '.') {
      return false;
    }
    int j = i + 1;
    if (j < n && s.charAt(j) == '.') {
      j++;
    }
    return j >= n || s.charAt(j) == '/' || s.charAt(j) == '?';
  }

  /** The octet encoded at {@code s[i] == '%'}, or -1 when two hex digits do not follow. */
  private static int percent(String s, int i, int n) {
    if (i + 2 >= n) {
      return -1;
    }
    int hi = hex(s.charAt(i + 1));
    int lo = hex(s.charAt(i + 2));
    return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  private static boolean isLowerHex(char c) {
    return c >= 'a' && c <= 'f';
  }

  /** RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". */
  static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
  }

  /**
   * Rebuilds a valid path (the scan found no ambiguity): percent-encodings first, then slashes
   * and dot segments on the decoded text, so that an encoded dot ({@code %2E}) forms a dot
   * segment as it will at the destination.
   */
  private static String rewrite(String pathAndQuery) {
    int end = PolicyMatching.pathEnd(pathAndQuery);
    char[] decoded = new char[end];
    int d = 0;
    for (int i = 0; i < end; i++) {
      char c = pathAndQuery.charAt(i);
      if (c == '%') {
        int v = hex(pathAndQuery.charAt(i + 1)) << 4 | hex(pathAndQuery.charAt(i + 2));
        if (isUnreserved(v)) {
          decoded[d++] = (char) v;
        } else {
          decoded[d++] = '%';
          decoded[d++] = Character.toUpperCase(pathAndQuery.charAt(i + 1));
          decoded[d++] = Character.toUpperCase(pathAndQuery.charAt(i + 2));
        }
        i += 2;
      } else {
        decoded[d++] = c;
      }
    }

    // Segments are copied as "/seg" into out; ".." drops the last one (none left: the root).
    char[] out = new char[d + 1];
    int o = 0;
    boolean trailingSlash = false;
    int i = 0;
    while (i < d) {
      while (i < d && decoded[i] == '/') {
        i++; // merges repeated slashes: empty segments are not segments
      }
      if (i == d) {
        trailingSlash = true;
        break;
      }
      int start = i;
      while (i < d && decoded[i] != '/') {
        i++;
      }
      int len = i - start;
      boolean dot = len == 1 && decoded[start] == '.';
      boolean dotDot = len == 2 && decoded[start] == '.' && decoded[start + 1] == '.';
      if (dot || dotDot) {
        if (dotDot) {
          while (o > 0 && out[--o] != '/') {
            // back to the slash that opened the last segment
          }
        }
        trailingSlash = true; // "/a/." and "/a/b/.." name the directory "/a/"
        continue;
      }
      out[o++] = '/';
      System.arraycopy(decoded, start, out, o, len);
      o += len;
      trailingSlash = false;
    }
    if (o == 0 || trailingSlash) {
      out[o++] = '/';
    }
    StringBuilder b = new StringBuilder(o + pathAndQuery.length() - end);
    b.append(out, 0, o).append(pathAndQuery, end, pathAndQuery.length());
    String normal = b.toString();
    // The scan may flag a path whose rewrite is identical (it does not compare); keep the instance.
    return normal.equals(pathAndQuery) ? pathAndQuery : normal;
  }
}

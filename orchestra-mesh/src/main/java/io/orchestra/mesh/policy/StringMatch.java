package io.orchestra.mesh.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a string (a path, a header value) is matched: exactly one of {@code exact}, {@code prefix}
 * or {@code regex}. A regular expression is compiled once, when the match is built, and must match
 * the whole value (not a substring). Immutable and thread-safe.
 *
 * <p>YAML: {@code {exact: /health}}, {@code {prefix: /api/}}, {@code {regex: "/orders/[0-9]+"}}.
 *
 * <p>Regular expressions are java.util.regex patterns, evaluated on the caller's thread: a pattern
 * with a repeated group ({@code (/[a-z]+)*}) recurses once per repetition and can overflow the
 * stack on very long input, and nested quantifiers ({@code ((a+)+)+$}; on JDK 9+ a single
 * nesting such as {@code (a+)+$} is only quadratic) can backtrack for a time exponential in the
 * input's length. The traffic manager bounds the second with a step budget
 * ({@code SecurityConfig.regexStepsPerChar}) and fails closed on either; the {@code matches}
 * methods here are not bounded.
 */
@JsonDeserialize(builder = StringMatch.Builder.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class StringMatch {
  private final String exact;
  private final String prefix;
  private final String regex;
  private final Pattern pattern;

  private StringMatch(String exact, String prefix, String regex) {
    int set = (exact != null ? 1 : 0) + (prefix != null ? 1 : 0) + (regex != null ? 1 : 0);
    if (set != 1) {
      throw new IllegalArgumentException(
          "match must set exactly one of exact, prefix, regex; got exact="
              + quote(exact)
              + ", prefix="
              + quote(prefix)
              + ", regex="
              + quote(regex));
    }
    this.exact = exact;
    this.prefix = prefix;
    this.regex = regex;
    if (regex != null) {
      try {
        this.pattern = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        // No cause: the config loader reports the deepest cause's message, and this one is clearer.
        throw new IllegalArgumentException(
            "match.regex does not compile: \"" + regex + "\": " + e.getDescription() + " near index " + e.getIndex());
      }
    } else {
      this.pattern = null;
    }
  }

  /** Matches a value equal to {@code value}. */
  public static StringMatch exact(String value) {
    return new StringMatch(Objects.requireNonNull(value, "exact"), null, null);
  }

  /** Matches a value starting with {@code value}. */
  public static StringMatch prefix(String value) {
    return new StringMatch(null, Objects.requireNonNull(value, "prefix"), null);
  }

  /**
   * Matches a value that the regular expression matches entirely.
   *
   * @throws IllegalArgumentException when the expression does not compile
   */
  public static StringMatch regex(String value) {
    return new StringMatch(null, null, Objects.requireNonNull(value, "regex"));
  }

  /** The exact value, or null. */
  @JsonProperty
  public String exact() {
    return exact;
  }

  /** The prefix, or null. */
  @JsonProperty
  public String prefix() {
    return prefix;
  }

  /** The regular expression, or null. */
  @JsonProperty
  public String regex() {
    return regex;
  }

  /**
   * The compiled regular expression, or null for an exact or prefix match (for matchers that
   * evaluate it themselves, such as the traffic manager's budgeted matching).
   */
  @JsonIgnore
  public Pattern pattern() {
    return pattern;
  }

  /** Whether {@code value} matches; false for null. A regular expression runs unbounded. */
  public boolean matches(String value) {
    return value != null && matches(value, value.length());
  }

  /**
   * Whether the first {@code end} characters of {@code value} match (used to match a path without
   * its query string, without copying it). Allocation-free except for regular expressions.
   */
  @JsonIgnore
  public boolean matches(String value, int end) {
    // startsWith rather than regionMatches: the same comparison here (end never exceeds the
    // value's length), and several times faster on JDK 17.
    if (exact != null) {
      return end == exact.length() && value.startsWith(exact);
    }
    if (prefix != null) {
      return end >= prefix.length() && value.startsWith(prefix);
    }
    return pattern.matcher(value).region(0, end).matches();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StringMatch m
        && Objects.equals(exact, m.exact)
        && Objects.equals(prefix, m.prefix)
        && Objects.equals(regex, m.regex);
  }

  @Override
  public int hashCode() {
    return Objects.hash(exact, prefix, regex);
  }

  @Override
  public String toString() {
    if (exact != null) {
      return "exact \"" + exact + "\"";
    }
    return prefix != null ? "prefix \"" + prefix + "\"" : "regex \"" + regex + "\"";
  }

  private static String quote(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }

  /** Builds a {@link StringMatch} from JSON/YAML; not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private String exact;
    private String prefix;
    private String regex;

    Builder() {}

    /** The exact value. */
    public Builder exact(String exact) {
      this.exact = exact;
      return this;
    }

    /** The prefix. */
    public Builder prefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    /** The regular expression (whole-value match). */
    public Builder regex(String regex) {
      this.regex = regex;
      return this;
    }

    /** The match; fails unless exactly one field is set and a regex compiles. */
    public StringMatch build() {
      return new StringMatch(exact, prefix, regex);
    }
  }
}

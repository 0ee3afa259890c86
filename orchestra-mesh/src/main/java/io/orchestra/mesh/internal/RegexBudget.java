package io.orchestra.mesh.internal;

import io.orchestra.mesh.policy.StringMatch;
import java.util.regex.Pattern;

/**
 * Regular-expression matching with a bound on the work done: the pattern reads the input through
 * a wrapper that counts {@code charAt} calls and throws {@link RegexBudgetExceeded} once a match
 * has made more than {@code max(FLOOR, stepsPerChar * length)} reads. java.util.regex reads its
 * input only through {@code charAt} and {@code length}, and every backtracking step re-reads at
 * least one character, so the count bounds the time of a match (nested quantifiers such as
 * {@code ((a+)+)+$} otherwise take time exponential in the input's length).
 *
 * <p>The bound is proportional to the input, with a floor: a match then costs at most a constant
 * times reading the input once, as every other check on the request path does, so a long path or
 * header buys an attacker no amplification; the floor keeps short inputs from failing patterns
 * that backtrack a little. Sane patterns read at most a few characters per input character
 * ({@code .*(foo|bar).*}: 4), so the default of 20 leaves a wide margin. Exact and prefix
 * matches never come here.
 *
 * <p>Thread-safe. One wrapper per thread is reused, so a match allocates nothing beyond the
 * {@link java.util.regex.Matcher} that regex matching allocates anyway.
 */
final class RegexBudget {
  /** Reads every match may make however short its input: no sane pattern needs more on a path. */
  static final long FLOOR = 10_000;

  private static final ThreadLocal<CountingInput> INPUT = ThreadLocal.withInitial(CountingInput::new);

  private RegexBudget() {}

  /**
   * Whether {@code match} matches the first {@code end} characters of {@code value} (false for a
   * null value); exact and prefix matches are decided by {@code match} itself, without counting.
   *
   * @throws RegexBudgetExceeded when the regex reads more than its budget
   */
  static boolean matches(StringMatch match, String value, int end, int stepsPerChar) {
    Pattern pattern = match.pattern();
    if (pattern == null) {
      return value != null && match.matches(value, end);
    }
    return value != null && matches(pattern, value, end, budget(end, stepsPerChar));
  }

  /** {@link #matches(StringMatch, String, int, int)} on the whole value. */
  static boolean matches(StringMatch match, String value, int stepsPerChar) {
    return value != null && matches(match, value, value.length(), stepsPerChar);
  }

  /** The reads a match on {@code length} characters may make. */
  static long budget(int length, int stepsPerChar) {
    return Math.max(FLOOR, (long) stepsPerChar * length);
  }

  /**
   * Whether {@code pattern} matches the first {@code end} characters of {@code value} entirely,
   * reading at most {@code budget} characters.
   *
   * @throws RegexBudgetExceeded when it would read more
   */
  static boolean matches(Pattern pattern, String value, int end, long budget) {
    CountingInput in = INPUT.get();
    in.reset(value, end, budget);
    try {
      return pattern.matcher(in).matches();
    } finally {
      in.reset(null, 0, 0); // drop the value: the thread may keep the wrapper for a long time
    }
  }

  /**
   * The first {@code end} characters of a string, counting reads. Reporting {@code end} as the
   * length decides as {@code matcher(value).region(0, end)} does with its default (opaque,
   * anchoring) bounds: nothing past {@code end} is visible, {@code $} matches at {@code end}.
   * Not thread-safe: one per thread.
   */
  static final class CountingInput implements CharSequence {
    private String value;
    private int length;
    private long remaining;

    void reset(String value, int length, long budget) {
      this.value = value;
      this.length = length;
      this.remaining = budget;
    }

    /** Reads left before the budget is exceeded. */
    long remaining() {
      return remaining;
    }

    @Override
    public char charAt(int index) {
      if (--remaining < 0) {
        throw RegexBudgetExceeded.INSTANCE;
      }
      return value.charAt(index);
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      // Not used by matches(); counted as reads so that no path around the budget exists.
      remaining -= end - start;
      if (remaining < 0) {
        throw RegexBudgetExceeded.INSTANCE;
      }
      return value.substring(start, end);
    }

    @Override
    public String toString() {
      return value == null ? "" : value.substring(0, length);
    }
  }
}

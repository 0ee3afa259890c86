package io.orchestra.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.mesh.SecurityConfig;
import io.orchestra.mesh.policy.StringMatch;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the regex step budget counts, and that catastrophic patterns really need more. */
class RegexBudgetTest {
  private static final int DEFAULT_STEPS = SecurityConfig.defaults().regexStepsPerChar();

  /** The reads an unbudgeted whole match of {@code value} makes. */
  private static long reads(Pattern pattern, String value) {
    RegexBudget.CountingInput in = new RegexBudget.CountingInput();
    in.reset(value, value.length(), Long.MAX_VALUE);
    pattern.matcher(in).matches();
    return Long.MAX_VALUE - in.remaining();
  }

  @Test
  void nestedQuantifiers_needMoreReadsThanTheBudget_growingGeometricallyWithEachCharacter() {
    Pattern nested = Pattern.compile("((a+)+)+$");
    Pattern counted = Pattern.compile("(a|aa){1,50}$");
    long previousNested = reads(nested, "a".repeat(8) + "!");
    long previousCounted = reads(counted, "a".repeat(8) + "!");
    for (int n = 9; n <= 16; n++) {
      String run = "a".repeat(n) + "!";
      long nestedReads = reads(nested, run);
      long countedReads = reads(counted, run);
      assertThat(nestedReads).as("((a+)+)+$ on %d a's", n).isGreaterThan(previousNested * 3 / 2);
      assertThat(countedReads).as("(a|aa){1,50}$ on %d a's", n).isGreaterThan(previousCounted * 5 / 4);
      previousNested = nestedReads;
      previousCounted = countedReads;
    }
    // 16 a's already exceed the floor; 40 would need millions of times more.
    assertThat(previousNested).isGreaterThan(RegexBudget.budget(17, 1));
    assertThat(previousCounted).isGreaterThan(RegexBudget.budget(17, 1));
    String forty = "a".repeat(40) + "!";
    long budget = RegexBudget.budget(forty.length(), DEFAULT_STEPS);
    assertThatThrownBy(() -> RegexBudget.matches(nested, forty, forty.length(), budget)).isSameAs(RegexBudgetExceeded.INSTANCE);
    assertThatThrownBy(() -> RegexBudget.matches(counted, forty, forty.length(), budget)).isSameAs(RegexBudgetExceeded.INSTANCE);
  }

  @Test
  void singlyNestedLoop_isQuadraticOnJdk17_andStaysUnderTheFloor() {
    // JDK 9+ remembers the positions where a greedy group loop failed, so (a+)+$ does not blow up.
    assertThat(reads(Pattern.compile("(a+)+$"), "a".repeat(40) + "!")).isLessThan(RegexBudget.FLOOR);
  }

  @Test
  void ordinaryPatterns_stayFarBelowTheFloor() {
    assertThat(reads(Pattern.compile("/orders/[0-9]+"), "/orders/1234567890")).isLessThan(100);
    assertThat(reads(Pattern.compile("/orders(/[0-9]+)?"), "/orders/42/items")).isLessThan(100);
    assertThat(reads(Pattern.compile(".*session=.*"), "a=1; " + "x".repeat(4000) + "; session=abc"))
        .isLessThan(RegexBudget.budget(4020, DEFAULT_STEPS) / 10);
  }

  @Test
  void budget_isProportionalToTheInput_withAFloor() {
    assertThat(RegexBudget.budget(0, 100)).isEqualTo(10_000);
    assertThat(RegexBudget.budget(100, 100)).isEqualTo(10_000);
    assertThat(RegexBudget.budget(1_000, 100)).isEqualTo(100_000);
    assertThat(RegexBudget.budget(Integer.MAX_VALUE, Integer.MAX_VALUE)).isPositive(); // no overflow
  }

  @Test
  void exactAndPrefixMatches_neverCount() {
    // A budget of one read per character would not even let a regex read "/a" twice.
    assertThat(RegexBudget.matches(StringMatch.exact("/a"), "/a", 1)).isTrue();
    assertThat(RegexBudget.matches(StringMatch.prefix("/a"), "/ab", 2, 1)).isTrue();
    assertThat(RegexBudget.matches(StringMatch.prefix("/a"), null, 1)).isFalse();
    assertThat(RegexBudget.matches(StringMatch.regex("/a"), null, 1)).isFalse();
  }

  @Test
  void theException_hasNoStackTrace() {
    assertThat(RegexBudgetExceeded.INSTANCE.getStackTrace()).isEmpty();
    assertThat(RegexBudgetExceeded.INSTANCE).hasMessage("regex step budget exceeded");
  }

  @Test
  void aThreadsWrapper_isReleasedAfterAMatch_evenWhenTheBudgetIsExceeded() {
    Pattern nested = Pattern.compile("((a+)+)+$");
    String run = "a".repeat(30) + "!";
    assertThatThrownBy(() -> RegexBudget.matches(nested, run, run.length(), 100)).isInstanceOf(RegexBudgetExceeded.class);
    // The next match on the thread starts with its own budget.
    assertThat(RegexBudget.matches(Pattern.compile("a+"), "aaa", 3, 100)).isTrue();
  }
}

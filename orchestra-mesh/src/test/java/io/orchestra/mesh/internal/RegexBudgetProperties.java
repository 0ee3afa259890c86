package io.orchestra.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.mesh.SecurityConfig;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The budgeted match gives the answer of {@code Pattern.matcher(input).region(0, end).matches()}
 * whenever it does not exceed its budget, for random simple patterns (including nested
 * quantifiers, so that small budgets are exceeded in some tries) and inputs.
 */
class RegexBudgetProperties {

  @Provide
  Arbitrary<String> patterns() {
    Arbitrary<String> atom = Arbitraries.of("a", "b", ".", "[ab]", "(a|b)", "(a+)", "(ab|a)", "(a|aa)");
    Arbitrary<String> quantifier = Arbitraries.of("", "", "*", "+", "?", "{1,2}", "*?");
    Arbitrary<String> piece = Combinators.combine(atom, quantifier).as((a, q) -> a + q);
    Arbitrary<List<String>> pieces = piece.list().ofMinSize(1).ofMaxSize(4);
    return Combinators.combine(pieces, Arbitraries.of("", "$", "(", "|b"))
        .as((ps, wrap) -> switch (wrap) {
          case "(" -> "(" + String.join("", ps) + ")+";
          case "|b" -> String.join("", ps) + "|b";
          default -> String.join("", ps) + wrap;
        });
  }

  @Provide
  Arbitrary<String> inputs() {
    return Arbitraries.strings().withChars("ab!").ofMinLength(0).ofMaxLength(16);
  }

  @Property(tries = 3000)
  void withinBudget_answersAsTheUnboundedMatch(
      @ForAll("patterns") String regex,
      @ForAll("inputs") String input,
      @ForAll @IntRange(min = 0, max = 16) int end,
      @ForAll @IntRange(min = 1, max = 400) int budget) {
    Pattern pattern = Pattern.compile(regex);
    int e = Math.min(end, input.length());
    boolean expected = pattern.matcher(input).region(0, e).matches();
    try {
      assertThat(RegexBudget.matches(pattern, input, e, budget)).as("%s on \"%s\" to %d", regex, input, e).isEqualTo(expected);
    } catch (RegexBudgetExceeded exceeded) {
      // Allowed: the budget was too small for this match; the property is about the other answers.
    }
    // The default budget is never exceeded by such short inputs and patterns.
    assertThat(RegexBudget.matches(pattern, input, e, RegexBudget.budget(e, SecurityConfig.defaults().regexStepsPerChar()))).isEqualTo(expected);
  }
}

package io.orchestra.mesh.internal;

/**
 * Thrown by {@link RegexBudget} when a regular expression has read more characters than its
 * budget allows. Internal control flow only: it never leaves the traffic manager, where the policy
 * or rule that was being matched fails closed. It carries no stack trace and is thrown as one
 * shared instance, so that an attacker who triggers it on every request costs neither the stack
 * walk nor an allocation.
 */
final class RegexBudgetExceeded extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The one instance: immutable (no stack trace, suppression disabled), so sharing is safe. */
  static final RegexBudgetExceeded INSTANCE = new RegexBudgetExceeded();

  private RegexBudgetExceeded() {
    super("regex step budget exceeded", null, false, false);
  }
}

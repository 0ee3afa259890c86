package io.orchestra.observability.alerts;

/** How a rule compares its value with the threshold. */
public enum Comparison {
  /** value &gt; threshold. */
  GT(">"),
  /** value &gt;= threshold. */
  GTE(">="),
  /** value &lt; threshold. */
  LT("<"),
  /** value &lt;= threshold. */
  LTE("<=");

  private final String symbol;

  Comparison(String symbol) {
    this.symbol = symbol;
  }

  /** The operator symbol, such as {@code >=}. */
  public String symbol() {
    return symbol;
  }

  /** Whether {@code value} breaches {@code threshold}; NaN never does. */
  public boolean test(double value, double threshold) {
    switch (this) {
      case GT:
        return value > threshold;
      case GTE:
        return value >= threshold;
      case LT:
        return value < threshold;
      default:
        return value <= threshold;
    }
  }
}

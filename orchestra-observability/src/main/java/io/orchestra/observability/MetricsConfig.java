package io.orchestra.observability;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Immutable metric settings: the seed's {@code metrics} section plus the bounds that keep memory
 * finite (windows per level, series cap, tag budgets) and the anomaly detector's parameters.
 *
 * @param collectionInterval how often live handles are harvested into roll-ups; default 15 s (seed)
 * @param retention nothing older is kept or returned; default 30 days (seed)
 * @param aggregationLevels roll-up window sizes, ascending, each a multiple of the previous and of
 *     the collection interval; default 1m, 5m, 1h, 1d (seed)
 * @param customMetrics accept metric names without a well-known prefix; default true (seed)
 * @param maxWindowsPerLevel windows kept per level and series (further capped by retention);
 *     default 288
 * @param quantileRelativeError relative error bound of the quantile sketches; default 0.01
 * @param defaultTagBudget distinct values per tag key and metric before values fold into {@code
 *     other}; default 100. Not applied to {@code service}, whose budget is {@code
 *     maxTrackedServices} unless {@code tagBudgets} names it (see {@link
 *     ObservabilityConfig#tagBudgetFor})
 * @param tagBudgets per tag key overrides of the budget, {@code service} included; default none
 * @param maxSeries series kept before folding; beyond, new series of a metric fold into its one
 *     {@code other} series, and a metric without any series is refused (counted as {@code
 *     metric.series_limit}), so the store never holds more than twice this many; default 10,000
 * @param seriesIdleTimeout a series not updated for this long is removed; default 24 h
 * @param anomalyWindow recent values the baseline keeps per series; default 64
 * @param anomalyWarmup values needed before a series is judged; default 30
 * @param anomalyThreshold robust z-score from which a value is anomalous; default 3.5
 * @param levelShiftConfirm consecutive same-direction anomalies that make a level shift (the
 *     baseline then re-bases on the new level); default 5
 */
@JsonDeserialize(builder = MetricsConfig.Builder.class)
public record MetricsConfig(
    Duration collectionInterval,
    Duration retention,
    List<Duration> aggregationLevels,
    boolean customMetrics,
    int maxWindowsPerLevel,
    double quantileRelativeError,
    int defaultTagBudget,
    Map<String, Integer> tagBudgets,
    int maxSeries,
    Duration seriesIdleTimeout,
    int anomalyWindow,
    int anomalyWarmup,
    double anomalyThreshold,
    int levelShiftConfirm) {

  /** Validates every field; see {@link Builder}. */
  public MetricsConfig {
    Checks.positive("metrics.collectionInterval", collectionInterval);
    Checks.argument(
        collectionInterval.toMillis() >= 1 && collectionInterval.toNanos() % 1_000_000 == 0,
        "metrics.collectionInterval must be a whole number of milliseconds, was %s",
        collectionInterval);
    Checks.positive("metrics.retention", retention);
    Checks.noNulls("metrics.aggregationLevels", aggregationLevels);
    Checks.argument(
        !aggregationLevels.isEmpty(), "metrics.aggregationLevels must not be empty, was %s", aggregationLevels);
    Duration previous = collectionInterval;
    for (int i = 0; i < aggregationLevels.size(); i++) {
      Duration level = Checks.positive("metrics.aggregationLevels[" + i + "]", aggregationLevels.get(i));
      Checks.argument(
          level.toMillis() % previous.toMillis() == 0 && level.compareTo(previous) >= 0,
          "metrics.aggregationLevels[%s] must be a multiple of %s (the previous level or the"
              + " collection interval), was %s",
          i,
          previous,
          level);
      Checks.argument(
          i == 0 || level.compareTo(previous) > 0,
          "metrics.aggregationLevels must be strictly ascending, was %s",
          aggregationLevels);
      previous = level;
    }
    aggregationLevels = List.copyOf(aggregationLevels);
    Checks.inRange("metrics.maxWindowsPerLevel", maxWindowsPerLevel, 1, 100_000);
    Checks.inRange("metrics.quantileRelativeError", quantileRelativeError, 0.0001, 0.5);
    Checks.inRange("metrics.defaultTagBudget", defaultTagBudget, 1, 1_000_000);
    Checks.notNull("metrics.tagBudgets", tagBudgets);
    tagBudgets.forEach(
        (k, v) -> {
          Checks.notBlank("metrics.tagBudgets key", k);
          Checks.inRange("metrics.tagBudgets." + k, Checks.notNull("metrics.tagBudgets." + k, v), 1, 1_000_000);
        });
    tagBudgets = Map.copyOf(tagBudgets);
    Checks.inRange("metrics.maxSeries", maxSeries, 1, 10_000_000);
    Checks.positive("metrics.seriesIdleTimeout", seriesIdleTimeout);
    Checks.inRange("metrics.anomalyWindow", anomalyWindow, 8, 4096);
    Checks.inRange("metrics.anomalyWarmup", anomalyWarmup, 3, anomalyWindow);
    Checks.inRange("metrics.anomalyThreshold", anomalyThreshold, 1.0, 1000.0);
    Checks.inRange("metrics.levelShiftConfirm", levelShiftConfirm, 2, anomalyWindow);
  }

  /** The defaults. */
  public static MetricsConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder()
        .collectionInterval(collectionInterval)
        .retention(retention)
        .aggregationLevels(aggregationLevels)
        .customMetrics(customMetrics)
        .maxWindowsPerLevel(maxWindowsPerLevel)
        .quantileRelativeError(quantileRelativeError)
        .defaultTagBudget(defaultTagBudget)
        .tagBudgets(tagBudgets)
        .maxSeries(maxSeries)
        .seriesIdleTimeout(seriesIdleTimeout)
        .anomalyWindow(anomalyWindow)
        .anomalyWarmup(anomalyWarmup)
        .anomalyThreshold(anomalyThreshold)
        .levelShiftConfirm(levelShiftConfirm);
  }

  /**
   * The configured budget of distinct values for {@code tagKey}: its {@code tagBudgets} entry, else
   * {@code defaultTagBudget}. The store applies {@link ObservabilityConfig#tagBudgetFor}, which
   * differs for {@code service} without an entry.
   */
  public int budgetFor(String tagKey) {
    Integer b = tagBudgets.get(tagKey);
    return b == null ? defaultTagBudget : b;
  }

  /** Builds a {@link MetricsConfig}; not thread-safe. JSON/YAML property names match. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private Duration collectionInterval = Duration.ofSeconds(15);
    private Duration retention = Duration.ofDays(30);
    private List<Duration> aggregationLevels =
        List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(1));
    private boolean customMetrics = true;
    private int maxWindowsPerLevel = 288;
    private double quantileRelativeError = 0.01;
    private int defaultTagBudget = 100;
    private Map<String, Integer> tagBudgets = Map.of();
    private int maxSeries = 10_000;
    private Duration seriesIdleTimeout = Duration.ofHours(24);
    private int anomalyWindow = 64;
    private int anomalyWarmup = 30;
    private double anomalyThreshold = 3.5;
    private int levelShiftConfirm = 5;

    private Builder() {}

    /** Harvest period of live handles. */
    public Builder collectionInterval(Duration v) {
      this.collectionInterval = v;
      return this;
    }

    /** Maximum age of kept data. */
    public Builder retention(Duration v) {
      this.retention = v;
      return this;
    }

    /** Roll-up window sizes, ascending. */
    public Builder aggregationLevels(List<Duration> v) {
      this.aggregationLevels = v == null ? null : new ArrayList<>(v);
      return this;
    }

    /** Whether names without a well-known prefix are accepted. */
    public Builder customMetrics(boolean v) {
      this.customMetrics = v;
      return this;
    }

    /** Windows kept per level and series. */
    public Builder maxWindowsPerLevel(int v) {
      this.maxWindowsPerLevel = v;
      return this;
    }

    /** Relative error bound of quantiles. */
    public Builder quantileRelativeError(double v) {
      this.quantileRelativeError = v;
      return this;
    }

    /** Default distinct values per tag key. */
    public Builder defaultTagBudget(int v) {
      this.defaultTagBudget = v;
      return this;
    }

    /** Per tag key budgets. */
    public Builder tagBudgets(Map<String, Integer> v) {
      this.tagBudgets = v;
      return this;
    }

    /** Maximum number of series. */
    public Builder maxSeries(int v) {
      this.maxSeries = v;
      return this;
    }

    /** Idle time after which a series is removed. */
    public Builder seriesIdleTimeout(Duration v) {
      this.seriesIdleTimeout = v;
      return this;
    }

    /** Values kept by each baseline. */
    public Builder anomalyWindow(int v) {
      this.anomalyWindow = v;
      return this;
    }

    /** Values needed before judging. */
    public Builder anomalyWarmup(int v) {
      this.anomalyWarmup = v;
      return this;
    }

    /** Robust z-score threshold. */
    public Builder anomalyThreshold(double v) {
      this.anomalyThreshold = v;
      return this;
    }

    /** Consecutive anomalies that confirm a level shift. */
    public Builder levelShiftConfirm(int v) {
      this.levelShiftConfirm = v;
      return this;
    }

    /** The validated configuration. */
    public MetricsConfig build() {
      return new MetricsConfig(
          collectionInterval,
          retention,
          aggregationLevels,
          customMetrics,
          maxWindowsPerLevel,
          quantileRelativeError,
          defaultTagBudget,
          tagBudgets,
          maxSeries,
          seriesIdleTimeout,
          anomalyWindow,
          anomalyWarmup,
          anomalyThreshold,
          levelShiftConfirm);
    }
  }
}

package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.observability.metrics.AnomalyKind;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Synthetic series with known spikes and level shifts over gaussian noise; reports precision and
 * recall. A flag within the confirmation run right after a shift counts as detecting the shift.
 */
class RobustBaselineTest {
  private static final int CONFIRM = 5;

  @ParameterizedTest(name = "noise sigma {0}, spike {1} sigma, seed {2}")
  @CsvSource({"1.0, 8, 1", "5.0, 8, 2", "0.2, 10, 3", "1.0, 6, 4", "20.0, 8, 5"})
  void findsSpikesAndLevelShiftsWithHighPrecisionAndRecall(double sigma, double spikeSigmas, long seed) {
    Random random = new Random(seed);
    int n = 3000;
    double[] series = new double[n];
    Set<Integer> spikes = new HashSet<>();
    Set<Integer> shifts = new HashSet<>();
    double level = 100;
    for (int i = 0; i < n; i++) {
      if (i > 100 && i % 500 == 250) {
        level += (random.nextBoolean() ? 1 : -1) * 15 * sigma;
        shifts.add(i);
      }
      series[i] = level + random.nextGaussian() * sigma;
      if (i > 100 && i % 97 == 0 && !near(shifts, i)) {
        series[i] += (random.nextBoolean() ? 1 : -1) * spikeSigmas * sigma;
        spikes.add(i);
      }
    }
    RobustBaseline b = new RobustBaseline(64, 30, 3.5, CONFIRM);
    int truePositives = 0;
    int falsePositives = 0;
    Set<Integer> spikesFound = new HashSet<>();
    Set<Integer> shiftsFound = new HashSet<>();
    int levelShiftVerdicts = 0;
    for (int i = 0; i < n; i++) {
      RobustBaseline.Verdict v = b.observe(series[i]);
      if (v == null) {
        continue;
      }
      if (v.kind() == AnomalyKind.LEVEL_SHIFT) {
        levelShiftVerdicts++;
      }
      Integer shift = shiftStart(shifts, i);
      if (spikes.contains(i)) {
        truePositives++;
        spikesFound.add(i);
      } else if (shift != null) {
        truePositives++;
        shiftsFound.add(shift);
      } else {
        falsePositives++;
      }
    }
    double precision = (double) truePositives / (truePositives + falsePositives);
    double recall = (double) (spikesFound.size() + shiftsFound.size()) / (spikes.size() + shifts.size());
    System.out.printf("anomaly detection sigma=%s spike=%s: precision %.3f recall %.3f (%d spikes, %d shifts, %d false)%n",
        sigma, spikeSigmas, precision, recall, spikes.size(), shifts.size(), falsePositives);
    assertThat(precision).isGreaterThanOrEqualTo(0.85);
    assertThat(recall).isGreaterThanOrEqualTo(spikeSigmas >= 8 ? 0.95 : 0.8);
    assertThat(levelShiftVerdicts).isEqualTo(shifts.size());
  }

  private static boolean near(Set<Integer> shifts, int i) {
    for (int s : shifts) {
      if (i >= s - 2 && i < s + 3 * CONFIRM) {
        return true;
      }
    }
    return false;
  }

  private static Integer shiftStart(Set<Integer> shifts, int i) {
    for (int s : shifts) {
      if (i >= s && i < s + CONFIRM) {
        return s;
      }
    }
    return null;
  }
}

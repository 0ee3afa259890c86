package io.orchestra.discovery.internal;

import static io.orchestra.discovery.internal.TestMembers.members;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.orchestra.core.time.RandomSource;
import io.orchestra.discovery.ClientContext;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeakEwmaPickerTest {

  private static double[] ones(int n) {
    double[] f = new double[n];
    Arrays.fill(f, 1);
    return f;
  }

  @ParameterizedTest(name = "{0} members")
  @ValueSource(ints = {2, 3, 7, 10, 1000})
  @DisplayName("both choices are uniform: with equal costs every member is picked equally often")
  void drawsAreUniform(int n) {
    InstanceState[] m = members(n);
    PeakEwmaPicker picker = new PeakEwmaPicker(m, ones(n), RandomSource.seeded(7), false);
    int picks = Math.max(200_000, n * 400);
    int[] counts = new int[n];
    for (int k = 0; k < picks; k++) {
      counts[Integer.parseInt(picker.pick(ClientContext.none()).id.substring(1))]++;
    }
    for (int c : counts) {
      assertThat(c / (double) picks).isCloseTo(1.0 / n, within(0.2 / n));
    }
  }

  @ParameterizedTest(name = "{0} members")
  @ValueSource(ints = {2, 3, 1000})
  @DisplayName("a random source whose draws are all rejected still gives two distinct members")
  void rejectedDrawsFallBack(int n) {
    InstanceState[] m = members(n);
    RandomSource zeros = () -> 0L; // 0 is below 2^32 mod n: rejected unless n is a power of two
    PeakEwmaPicker picker = new PeakEwmaPicker(m, ones(n), zeros, false);
    assertThat(picker.pick(ClientContext.none())).isIn((Object[]) m);
    // The first choice (index 0) is avoided: the second (distinct) one is returned.
    assertThat(picker.pick(ClientContext.none().avoiding("m0")).id).isEqualTo("m1");
  }
}

package io.orchestra.discovery.internal;

import static io.orchestra.discovery.internal.TestMembers.members;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.discovery.ClientContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class BalancerProperties {

  @Property(tries = 200)
  void strideSchedulerGivesEveryMemberItsShare(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 9) Integer> weights) {
    int n = weights.size();
    double[] w = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      w[i] = weights.get(i);
      total += w[i];
    }
    InstanceState[] m = members(n);
    StridePicker picker = new StridePicker(m, w, new AtomicLong(), false);
    int picks = 20_000;
    int[] counts = new int[n];
    for (int k = 0; k < picks; k++) {
      InstanceState s = picker.pick(ClientContext.none());
      counts[Integer.parseInt(s.id.substring(1))]++;
    }
    for (int i = 0; i < n; i++) {
      assertThat(counts[i] / (double) picks).isCloseTo(w[i] / total, org.assertj.core.api.Assertions.within(0.01));
    }
  }

  @Property(tries = 30)
  void maglevSlotsFollowWeightsAndCoverTheTable(
      @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 4) Integer> weights) {
    int n = weights.size();
    double[] w = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      w[i] = weights.get(i);
      total += w[i];
    }
    MaglevPicker picker = new MaglevPicker(members(n), w, new AtomicLong(), false);
    int m = MaglevPicker.tableSize(n);
    int sum = 0;
    for (int i = 0; i < n; i++) {
      int slots = picker.slots(i);
      sum += slots;
      assertThat(slots / (double) m).isCloseTo(w[i] / total, org.assertj.core.api.Assertions.within(0.02));
    }
    assertThat(sum).isEqualTo(m);
  }

  @Property(tries = 100)
  void everyPickerReturnsAMemberOrNull(
      @ForAll @IntRange(min = 0, max = 30) int n, @ForAll @IntRange(min = 0, max = 1000) int key) {
    InstanceState[] m = members(n);
    double[] ones = new double[n];
    java.util.Arrays.fill(ones, 1);
    ClientContext ctx = ClientContext.builder().hashKey("k" + key).build();
    List<Picker> pickers =
        List.of(
            new RoundRobinPicker(m, new AtomicLong(), true),
            new StridePicker(m, ones, new AtomicLong(), true),
            new LeastConnectionsPicker(m, ones, new AtomicLong(), true),
            new PeakEwmaPicker(m, ones, io.orchestra.core.time.RandomSource.seeded(key), true),
            new MaglevPicker(m, ones, new AtomicLong(), true));
    for (Picker p : pickers) {
      InstanceState s = p.pick(ctx);
      if (n == 0) {
        assertThat(s).isNull();
      } else {
        assertThat(m).contains(s);
      }
    }
  }
}

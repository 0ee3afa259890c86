package io.orchestra.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.resilience.TokenBucket;
import io.orchestra.core.time.VirtualTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever tables are swept, dropped, shared or made anew, the permits one (destination, key)
 * gets always conform to its own token bucket: every grant the limiter makes, a bucket of the same
 * limit that saw only that pair's grants would have made too (never looser). Both bounds are
 * small: three destinations for two tables, three keys for one to three buckets a table.
 */
class KeyedBucketsProperties {
  private static final TokenBucket.Config LIMIT =
      TokenBucket.Config.builder().permitsPerPeriod(2).period(Duration.ofSeconds(1)).burst(3).build();

  /**
   * One step: {@code op} 0-5 a request by holder {@code op % 2} (each holder caches its tables,
   * like a destination's policy), 6 a sweep, 7 time passing by {@code millis}.
   */
  @Property(tries = 1000)
  void grantsPerKeyNeverExceedItsOwnBucket(
      @ForAll @Size(min = 1, max = 120) List<@IntRange(min = 0, max = 7) Integer> ops,
      @ForAll @Size(min = 120, max = 120) List<@IntRange(min = 0, max = 2) Integer> destinations,
      @ForAll @Size(min = 120, max = 120) List<@IntRange(min = 0, max = 2) Integer> keys,
      @ForAll @Size(min = 120, max = 120) List<@IntRange(min = 0, max = 1500) Integer> millis,
      @ForAll @IntRange(min = 1, max = 3) int maxKeys) {
    VirtualTime time = new VirtualTime();
    KeyedBuckets kb = new KeyedBuckets(LIMIT, maxKeys, 2, time);
    BucketTable[][] caches = new BucketTable[2][3];
    Map<String, TokenBucket> reference = new HashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      int op = ops.get(i);
      if (op == 6) {
        kb.sweepIdleTables();
      } else if (op == 7) {
        time.advance(Duration.ofMillis(millis.get(i)));
      } else {
        int d = destinations.get(i);
        String destination = "d" + d;
        String key = "k" + keys.get(i);
        BucketTable[] cache = caches[op % 2];
        if (cache[d] == null) {
          cache[d] = kb.table(destination);
        }
        long now = time.read();
        TokenBucket own = reference.computeIfAbsent(destination + "/" + key, k -> TokenBucket.of(LIMIT, time));
        if (kb.tryAcquire(cache, d, destination, key, now)) {
          assertThat(own.tryAcquire(1, now))
              .as("step %d: %s %s was granted a permit its own bucket would have refused", i, destination, key)
              .isTrue();
        }
      }
    }
  }
}

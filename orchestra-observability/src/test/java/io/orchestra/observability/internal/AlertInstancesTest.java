package io.orchestra.observability.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.observability.Severity;
import io.orchestra.observability.alerts.Alert;
import io.orchestra.observability.alerts.AlertEvidence;
import io.orchestra.observability.alerts.AlertState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class AlertInstancesTest {

  private static AlertInstances.Key key(String rule, String service) {
    return new AlertInstances.Key(rule, service);
  }

  private static Alert alert(String rule, String service) {
    return new Alert(rule, service, Severity.WARNING, "m", "c", AlertState.PENDING, 1, 0, 0, 0, Map.of(), AlertEvidence.NONE);
  }

  @Test
  void refusesPastTheBoundCountsEveryRefusalAndWarnsOnce() {
    BadInputCounters bad = new BadInputCounters(null);
    AlertInstances instances = new AlertInstances(2, bad);
    String log = stderrOf(() -> {
      assertThat(instances.admit(key("r", "a"), alert("r", "a"))).isNotNull();
      assertThat(instances.admit(key("r", "b"), alert("r", "b"))).isNotNull();
      assertThat(instances.admit(key("r", "c"), alert("r", "c"))).isNull();
      assertThat(instances.admit(key("r", "d"), alert("r", "d"))).isNull();
      assertThat(instances.admit(key("r", "c"), alert("r", "c"))).isNull();
    });
    assertThat(instances.size()).isEqualTo(2);
    assertThat(instances.get(key("r", "c"))).isNull();
    assertThat(instances.values()).extracting(i -> i.alert.serviceName()).containsExactly("a", "b");
    assertThat(bad.snapshot().count("alert", "active_overflow")).isEqualTo(3);
    assertThat(log.lines().filter(l -> l.contains("alert.active_overflow"))).hasSize(1);
    assertThat(log).contains("WARN").contains("alerting.maxActiveAlerts").doesNotContain("r/c");
    // Leaving makes room; removing a rule removes only its instances.
    instances.remove(key("r", "a"));
    assertThat(instances.admit(key("q", "c"), alert("q", "c"))).isNotNull();
    instances.removeRule("r");
    assertThat(instances.values()).extracting(i -> i.alert.ruleId()).containsExactly("q");
  }

  @Property
  void matchesAReferenceModel(
      @ForAll @IntRange(min = 1, max = 8) int limit,
      @ForAll @Size(max = 200) List<@IntRange(min = -12, max = 12) Integer> ops) {
    // A positive op admits rule "f<op>" on "s" when it has no instance; a negative one removes "f<-op>".
    BadInputCounters bad = new BadInputCounters(null);
    AlertInstances instances = new AlertInstances(limit, bad);
    Map<String, Boolean> model = new LinkedHashMap<>();
    long refusals = 0;
    for (int op : ops) {
      String fp = "f" + Math.abs(op);
      if (op < 0) {
        model.remove(fp);
        instances.remove(key(fp, "s"));
      } else if (!model.containsKey(fp)) {
        boolean fits = model.size() < limit;
        if (fits) {
          model.put(fp, true);
        } else {
          refusals++;
        }
        assertThat(instances.admit(key(fp, "s"), alert(fp, "s")) != null).isEqualTo(fits);
      }
      assertThat(instances.size()).isEqualTo(model.size()).isLessThanOrEqualTo(limit);
    }
    assertThat(instances.values()).extracting(i -> i.alert.ruleId()).containsExactlyElementsOf(model.keySet());
    assertThat(bad.snapshot().count("alert", "active_overflow")).isEqualTo(refusals);
  }

  private static String stderrOf(Runnable r) {
    PrintStream old = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}

package io.orchestra.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.orchestra.core.time.VirtualTime;
import io.orchestra.observability.alerts.Alert;
import io.orchestra.observability.alerts.AlertEvidence;
import io.orchestra.observability.alerts.AlertNotification;
import io.orchestra.observability.alerts.AlertRule;
import io.orchestra.observability.alerts.AlertState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** An alert is keyed by rule and service, whatever characters they hold; so is a notification group. */
class AlertKeyTest {

  private static ObservabilityEngine.Builder engine(VirtualTime time, List<String> groupBy, List<AlertNotification> sent) {
    ObservabilityConfig config = Engines.allSampled().toBuilder()
        .alerting(AlertingConfig.builder().notificationChannels(List.of("test")).groupBy(groupBy)
            .evaluationInterval(Duration.ofMinutes(10)).build())
        .build();
    return Engines.on(time, config).notifier("test", n -> {
      sent.add(n);
      return CompletableFuture.completedFuture(null);
    });
  }

  private static AlertRule hotCpu(String id, String service) {
    return AlertRule.metric(id, service, "cpu_usage").above(0.9).window(Duration.ofMinutes(1)).build();
  }

  @Test
  @DisplayName("rule a/b on service c and rule a on service b/c are two alerts, each notified and resolved on its own")
  void slashInRuleAndService_twoAlerts_notOne() {
    VirtualTime time = Engines.time();
    List<AlertNotification> sent = new CopyOnWriteArrayList<>();
    try (ObservabilityEngine engine = engine(time, List.of("service", "severity"), sent)
        .alertRule(hotCpu("a/b", "c")).alertRule(hotCpu("a", "b/c")).build()) {
      engine.collectServiceMetrics("c", Map.of("cpu_usage", 0.95));
      engine.collectServiceMetrics("b/c", Map.of("cpu_usage", 0.97));

      assertThat(engine.activeAlerts()).hasSize(2).allSatisfy(a -> assertThat(a.state()).isEqualTo(AlertState.FIRING));
      assertThat(engine.activeAlerts()).extracting(Alert::ruleId, Alert::serviceName, Alert::value)
          .containsExactlyInAnyOrder(
              tuple("a/b", "c", 0.95), tuple("a", "b/c", 0.97));
      assertThat(engine.activeAlerts()).extracting(Alert::fingerprint).containsExactlyInAnyOrder("a%2Fb/c", "a/b%2Fc");
      assertThat(sent).flatExtracting(AlertNotification::alerts).extracting(Alert::ruleId).containsExactlyInAnyOrder("a/b", "a");

      // Only c recovers: only rule a/b resolves.
      time.advance(Duration.ofMinutes(2));
      engine.collectServiceMetrics("c", Map.of("cpu_usage", 0.1));
      engine.collectServiceMetrics("b/c", Map.of("cpu_usage", 0.99));
      assertThat(engine.activeAlerts()).singleElement().satisfies(a -> {
        assertThat(a.ruleId()).isEqualTo("a");
        assertThat(a.serviceName()).isEqualTo("b/c");
      });
      assertThat(engine.alertHistory()).singleElement().satisfies(a -> assertThat(a.fingerprint()).isEqualTo("a%2Fb/c"));
    }
  }

  @Test
  @DisplayName("a label value holding ', team=' does not merge two notification groups")
  void separatorsInGroupLabels_twoGroups_notOne() {
    VirtualTime time = Engines.time();
    List<AlertNotification> sent = new CopyOnWriteArrayList<>();
    AlertRule one = AlertRule.metric("one", "a, team=x", "cpu_usage").above(0.9).window(Duration.ofMinutes(1))
        .forDuration(Duration.ofMinutes(1)).labels(Map.of("team", "y")).build();
    AlertRule two = AlertRule.metric("two", "a", "cpu_usage").above(0.9).window(Duration.ofMinutes(1))
        .forDuration(Duration.ofMinutes(1)).labels(Map.of("team", "x, team=y")).build();
    try (ObservabilityEngine engine = engine(time, List.of("service", "team"), sent).alertRule(one).alertRule(two).build()) {
      engine.collectServiceMetrics("a, team=x", Map.of("cpu_usage", 0.95));
      engine.collectServiceMetrics("a", Map.of("cpu_usage", 0.95));
      time.advance(Duration.ofSeconds(50));
      engine.collectServiceMetrics("a, team=x", Map.of("cpu_usage", 0.95));
      engine.collectServiceMetrics("a", Map.of("cpu_usage", 0.95));
      time.advance(Duration.ofSeconds(15));
      // Both fire in one evaluation, the sweep.
      assertThat(engine.evaluateAlertRules().transitions()).hasSize(2);

      assertThat(sent).hasSize(2).allSatisfy(n -> assertThat(n.alerts()).hasSize(1));
      assertThat(sent).extracting(AlertNotification::groupKey)
          .containsExactlyInAnyOrder("service=a%2C team%3Dx,team=y", "service=a,team=x%2C team%3Dy");
      assertThat(sent).allSatisfy(n -> {
        Alert a = n.alerts().get(0);
        assertThat(n.groupLabels()).isEqualTo(Map.of("service", a.serviceName(), "team", a.labels().get("team")));
      });
    }
  }

  /**
   * Every other pair whose raw or encoded text reads the same, split at another {@code /}, has
   * another fingerprint: a separator or an escape inside a part never makes two pairs alike.
   */
  @Property
  void noOtherRuleAndServiceSharesTheFingerprint(
      @ForAll @StringLength(min = 1, max = 6) @Chars({'a', '/', '%', '2', 'F'}) String rule,
      @ForAll @StringLength(min = 1, max = 6) @Chars({'a', '/', '%', '2', 'F'}) String service) {
    String fingerprint = alert(rule, service).fingerprint();
    for (String text : List.of(rule + "/" + service, fingerprint)) {
      for (int at = text.indexOf('/'); at >= 0; at = text.indexOf('/', at + 1)) {
        String r = text.substring(0, at);
        String s = text.substring(at + 1);
        if (!(r.equals(rule) && s.equals(service))) {
          assertThat(alert(r, s).fingerprint()).isNotEqualTo(fingerprint);
        }
      }
    }
  }

  private static Alert alert(String rule, String service) {
    return new Alert(rule, service, Severity.WARNING, "m", "c", AlertState.FIRING, 1, 0, 0, 0, Map.of(), AlertEvidence.NONE);
  }
}

package io.orchestra.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.resilience.Backoff;
import io.orchestra.core.transport.CallOutcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SagaConfigTest {

  @Test
  void defaultsAreTheSeeds() {
    SagaConfig c = SagaConfig.defaults();
    assertThat(c.execution().timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.execution().stepTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.execution().maxRetries()).isEqualTo(3);
    assertThat(c.execution().retryBackoff().type().name()).startsWith("EXPONENTIAL");
    assertThat(c.compensation().enabled()).isTrue();
    assertThat(c.compensation().compensationTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.compensation().parallelCompensation()).isTrue();
    assertThat(c.compensation().compensationRetries()).isEqualTo(2);
    assertThat(c.persistence().enabled()).isTrue();
    assertThat(c.persistence().snapshotInterval()).isEqualTo(5);
    assertThat(c.persistence().eventSourcing()).isTrue();
    assertThat(c.execution().retryPolicy().isRetriable(CallOutcome.TIMEOUT, 0)).isTrue();
    assertThat(c.execution().retryPolicy().isRetriable(CallOutcome.CLIENT_ERROR, 400)).isFalse();
  }

  @Test
  void loadsFromYamlInTheSeedsShape() {
    SagaConfig c =
        ConfigLoader.fromYaml(
            "execution: { timeout: 2m, stepTimeout: 10s, maxRetries: 5 }\n"
                + "compensation: { parallelCompensation: false, compensationRetries: 4 }\n"
                + "persistence: { snapshotInterval: 10, eventSourcing: false }\n"
                + "recovery: { leaseDuration: 20s, leaseRenewInterval: 5s }\n",
            SagaConfig.class);
    assertThat(c.execution().timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.execution().maxRetries()).isEqualTo(5);
    assertThat(c.execution().stepTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.compensation().parallelCompensation()).isFalse();
    assertThat(c.compensation().compensationTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.persistence().snapshotInterval()).isEqualTo(10);
    assertThat(c.recovery().leaseDuration()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c).isEqualTo(ConfigLoader.fromJson(
        "{\"execution\":{\"timeout\":\"2m\",\"stepTimeout\":10000,\"maxRetries\":5},"
            + "\"compensation\":{\"parallelCompensation\":false,\"compensationRetries\":4},"
            + "\"persistence\":{\"snapshotInterval\":10,\"eventSourcing\":false},"
            + "\"recovery\":{\"leaseDuration\":\"20s\",\"leaseRenewInterval\":\"5s\"}}",
        SagaConfig.class));
  }

  @Test
  void everyPropertyLoadsFromYaml() {
    SagaConfig c =
        ConfigLoader.fromYaml(
            "execution:\n"
                + "  retryBackoff: { type: EXPONENTIAL_EQUAL_JITTER, initialDelay: 50ms, multiplier: 3, maxDelay: 2s }\n"
                + "  retryOn: [TIMEOUT, SERVER_ERROR]\n"
                + "compensation:\n"
                + "  enabled: false\n"
                + "  compensationTimeout: 45s\n"
                + "  compensationBackoff: { type: FIXED, initialDelay: 250ms, multiplier: 1, maxDelay: 250ms }\n"
                + "persistence: { enabled: false }\n"
                + "recovery: { recoveryInterval: 7s, recoveryBatchSize: 17, stuckThreshold: 2m }\n",
            SagaConfig.class);
    assertThat(c.execution().retryBackoff())
        .isEqualTo(
            Backoff.builder()
                .type(Backoff.Type.EXPONENTIAL_EQUAL_JITTER)
                .initialDelay(Duration.ofMillis(50))
                .multiplier(3)
                .maxDelay(Duration.ofSeconds(2))
                .build());
    assertThat(c.execution().retryOn()).containsExactlyInAnyOrder(CallOutcome.TIMEOUT, CallOutcome.SERVER_ERROR);
    assertThat(c.compensation().enabled()).isFalse();
    assertThat(c.compensation().compensationTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.compensation().compensationBackoff()).isEqualTo(Backoff.fixed(Duration.ofMillis(250)));
    assertThat(c.persistence().enabled()).isFalse();
    assertThat(c.recovery().recoveryInterval()).isEqualTo(Duration.ofSeconds(7));
    assertThat(c.recovery().recoveryBatchSize()).isEqualTo(17);
    assertThat(c.recovery().stuckThreshold()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void invalidValuesNameTheField() {
    assertThatThrownBy(() -> ExecutionConfig.builder().stepTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("execution.stepTimeout must be a positive duration, was PT0S");
    assertThatThrownBy(() -> PersistenceConfig.builder().snapshotInterval(0).build())
        .hasMessageContaining("persistence.snapshotInterval must be in [1, 1000000], was 0");
    assertThatThrownBy(
            () -> RecoveryConfig.builder().leaseRenewInterval(Duration.ofMinutes(1)).build())
        .hasMessageContaining("recovery.leaseRenewInterval (PT1M) must be shorter than recovery.leaseDuration (PT30S)");
    assertThatThrownBy(() -> ConfigLoader.fromYaml("compensation: { compensationRetries: -1 }", SagaConfig.class))
        .hasMessageContaining("compensation.compensationRetries must be in [0, 1000], was -1");
    assertThatThrownBy(() -> ConfigLoader.fromYaml("execution: { retries: 1 }", SagaConfig.class))
        .hasMessageContaining("retries");
  }
}

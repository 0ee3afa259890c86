package io.orchestra.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.config.ConfigException;
import io.orchestra.core.resilience.Backoff;
import io.orchestra.core.resilience.CircuitBreakerConfig;
import io.orchestra.core.transport.CallOutcome;
import io.orchestra.mesh.policy.AuthorizationPolicy;
import io.orchestra.mesh.policy.LoadBalancing;
import io.orchestra.mesh.policy.MeshPolicies;
import io.orchestra.mesh.policy.MeshRetryPolicy;
import io.orchestra.mesh.policy.RateLimitPolicy;
import io.orchestra.mesh.policy.RetryOn;
import io.orchestra.mesh.policy.ServicePolicy;
import io.orchestra.mesh.policy.StringMatch;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Policies and configuration load from YAML/JSON, with the seed's defaults and load-time errors. */
class PolicyLoadingTest {

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(PolicyLoadingTest.class.getClassLoader().getResource(name).toURI());
  }

  @Test
  void exampleDocument_loadsEveryPart() throws Exception {
    MeshPolicies p = MeshPolicies.fromFile(resource("mesh-policies.yaml"));

    assertThat(p.mtls().allowedIdentities()).containsExactly("spiffe://example.org/ns/shop/*");
    assertThat(p.authorization()).extracting(AuthorizationPolicy::name)
        .containsExactly("block-admin", "shop-reads", "checkout-writes");
    assertThat(p.authorization().get(0).action()).isEqualTo(AuthorizationPolicy.Action.DENY);
    assertThat(p.authorization().get(2).action()).isEqualTo(AuthorizationPolicy.Action.ALLOW);
    assertThat(p.authorization().get(2).headers().get("x-tenant")).isEqualTo(StringMatch.prefix("acme-"));
    assertThat(p.authorization().get(1).paths().get(0).matches("/orders/12")).isTrue();

    RateLimitPolicy rl = p.rateLimits().get(0);
    assertThat(rl.key()).isEqualTo(RateLimitPolicy.Key.SOURCE_IDENTITY);
    assertThat(rl.limit().burst()).isEqualTo(200);

    ServicePolicy orders = p.services().get("orders");
    assertThat(orders.subsets()).containsKeys("v1", "v2", "green");
    assertThat(orders.routeKeyHeader()).isEqualTo("x-user-id");
    assertThat(orders.rules()).hasSize(3);
    assertThat(orders.rules().get(0).match().percentage()).isEqualTo(10.0);
    assertThat(orders.defaultRoute()).hasSize(2);
    assertThat(orders.loadBalancing()).isEqualTo(LoadBalancing.ROUND_ROBIN);
    assertThat(orders.timeout()).isEqualTo(Duration.ofSeconds(10));
    MeshRetryPolicy retry = orders.retryPolicy();
    assertThat(retry.retryOn()).containsExactlyInAnyOrder(RetryOn.SERVER_ERROR, RetryOn.RESET, RetryOn.RETRIABLE_STATUS_CODES);
    assertThat(retry.backoff().type()).isEqualTo(Backoff.Type.EXPONENTIAL_FULL_JITTER);
    assertThat(retry.budget().ratio()).isEqualTo(0.1);
    assertThat(orders.circuitBreaker().waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(30));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "bad regex|authorization: [{name: a, paths: [{regex: '/orders/[0-9'}]}]|match.regex does not compile: \"/orders/[0-9\"",
        "two match kinds|authorization: [{name: a, paths: [{exact: /a, prefix: /b}]}]|exactly one of exact, prefix, regex",
        "weights not 100|services: {orders: {subsets: {v1: {v: '1'}, v2: {v: '2'}}, defaultRoute: [{subset: v1, weight: 90}, {subset: v2, weight: 20}]}}|weights must add up to 100, got 110",
        "rule weights not 100|services: {orders: {subsets: {v1: {v: '1'}}, rules: [{name: r, destinations: [{subset: v1, weight: 50}]}]}}|route[r].destinations weights must add up to 100, got 50",
        "undefined subset|services: {orders: {rules: [{name: r, destinations: [{subset: v9}]}]}}|undefined subset \"v9\"",
        "percentage over 100|services: {orders: {subsets: {v1: {v: '1'}}, rules: [{name: r, match: {percentage: 150}, destinations: [{subset: v1}]}]}}|match.percentage must be in (0, 100], was 150.0",
        "duplicate policy|authorization: [{name: a}, {name: a}]|two policies named \"a\"",
        "header key without header|rateLimits: [{name: r, key: HEADER, limit: {permitsPerPeriod: 1}}]|rateLimit[r].header must not be null",
        "missing limit|rateLimits: [{name: r}]|rateLimit[r].limit must not be null",
        "unknown retryOn|services: {orders: {retryPolicy: {retryOn: [sometimes]}}}|unknown retryOn \"sometimes\"",
        "codes without class|services: {orders: {retryPolicy: {retriableStatusCodes: [409]}}}|add retriable-status-codes to retryPolicy.retryOn",
        "bad identity pattern|mtls: {allowedIdentities: ['spiffe://*/x']}|may only end in '*'",
        "unknown property|authorization: [{name: a, verb: GET}]|verb",
        "bad action|authorization: [{name: a, action: MAYBE}]|action",
      })
  void brokenPolicies_failAtLoadTime_namingTheProblem(String what, String yaml, String message) {
    assertThatThrownBy(() -> MeshPolicies.fromYaml(yaml))
        .as(what)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void regexStepBudget_isValidatedByTheBuilderToo() {
    assertThatThrownBy(() -> SecurityConfig.builder().regexStepsPerChar(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("security.regexStepsPerChar must be > 0, was 0");
    assertThat(SecurityConfig.builder().regexStepsPerChar(1).build().regexStepsPerChar()).isEqualTo(1);
  }

  @Test
  void programmaticBuilders_failTheSameWay() {
    assertThatThrownBy(() -> StringMatch.regex("(unclosed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not compile");
    assertThatThrownBy(() -> ServicePolicy.builder().subset("v1", Fixtures.labels("v", "1"))
            .defaultRoute(java.util.List.of(io.orchestra.mesh.policy.WeightedDestination.of("v1", 99))).build())
        .hasMessageContaining("weights must add up to 100, got 99");
  }

  @Test
  void meshConfig_defaultsAreTheSeeds() {
    MeshConfig c = MeshConfig.defaults();
    assertThat(c.traffic().loadBalancing()).isEqualTo(LoadBalancing.LEAST_CONNECTION);
    assertThat(c.traffic().circuitBreakerEnabled()).isTrue();
    assertThat(c.traffic().circuitBreaker()).isEqualTo(CircuitBreakerConfig.defaults());
    assertThat(c.traffic().retryPolicy().maxRetries()).isEqualTo(3);
    assertThat(c.traffic().retryPolicy().retryOn())
        .containsExactlyInAnyOrder(RetryOn.SERVER_ERROR, RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE);
    assertThat(c.traffic().retryPolicy().perTryTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.traffic().retryPolicy().backoff().maxDelay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.traffic().timeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.security().mtlsEnabled()).isTrue();
    assertThat(c.security().authorizationPolicyEnabled()).isTrue();
    assertThat(c.security().rateLimitingEnabled()).isTrue();
    assertThat(c.security().allowedMethods()).containsExactlyInAnyOrder("GET", "POST", "PUT", "DELETE");
    assertThat(c.security().normalizePaths()).isTrue(); // not the seed's: it matched raw paths
    assertThat(c.security().regexStepsPerChar()).isEqualTo(20); // not in the seed: regexes were unbounded
    assertThat(c.observability().tracingEnabled()).isTrue();
    assertThat(c.observability().metricsCollection()).isTrue();
    assertThat(c.observability().accessLogging()).isTrue();
    assertThat(c.observability().samplingRate()).isEqualTo(0.1);
  }

  @Test
  void meshConfig_loadsFromYaml_withSeedNames() {
    MeshConfig c =
        MeshConfig.fromYaml(
            """
            traffic:
              loadBalancing: round_robin
              retryPolicy: {maxRetries: 1, retryOn: [gateway-error, connect-failure, timeout], perTryTimeout: 250ms}
              timeout: 2s
            security:
              allowedMethods: [get, post, patch]
            observability:
              samplingRate: 0.5
            """);
    assertThat(c.traffic().loadBalancing()).isEqualTo(LoadBalancing.ROUND_ROBIN);
    assertThat(c.traffic().retryPolicy().retryOn())
        .containsExactlyInAnyOrder(RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE, RetryOn.TIMEOUT);
    assertThat(c.traffic().retryPolicy().perTryTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.security().allowedMethods()).containsExactlyInAnyOrder("GET", "POST", "PATCH");
    assertThat(c.security().mtlsEnabled()).isTrue(); // omitted values keep the seed's defaults
    assertThat(c.security().normalizePaths()).isTrue();
    assertThat(MeshConfig.fromYaml("security: {normalizePaths: false}").security().normalizePaths()).isFalse();
    assertThat(c.security().regexStepsPerChar()).isEqualTo(20);
    assertThat(MeshConfig.fromYaml("security: {regexStepsPerChar: 50}").security().regexStepsPerChar()).isEqualTo(50);
    assertThat(c.observability().samplingRate()).isEqualTo(0.5);
    assertThat(c.traffic().destinationIdleTimeout()).isEqualTo(Duration.ofMinutes(10)); // not in the seed
    assertThat(MeshConfig.fromYaml("traffic: {destinationIdleTimeout: 30m}").traffic().destinationIdleTimeout())
        .isEqualTo(Duration.ofMinutes(30));
    assertThat(MeshConfig.fromYaml("traffic: {destinationIdleTimeout: 0s}").traffic().destinationIdleTimeout())
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void policiesAndConfig_loadFromJsonToo() {
    MeshPolicies p =
        MeshPolicies.fromJson(
            """
            {"authorization": [{"name": "reads", "methods": ["GET"], "paths": [{"regex": "/orders/[0-9]+"}]}],
             "rateLimits": [{"name": "per-tenant", "key": "HEADER", "header": "X-Tenant",
                             "limit": {"permitsPerPeriod": 5, "period": "1s"}}],
             "services": {"orders": {"subsets": {"v1": {"version": "v1"}, "v2": {"version": "v2"}},
                                     "defaultRoute": [{"subset": "v1", "weight": 90}, {"subset": "v2", "weight": 10}],
                                     "retryPolicy": {"maxRetries": 1, "retryOn": ["gateway-error"]}}}}
            """);
    assertThat(p.authorization().get(0).paths().get(0).matches("/orders/7")).isTrue();
    assertThat(p.rateLimits().get(0).header()).isEqualTo("x-tenant");
    assertThat(p.services().get("orders").defaultRoute()).extracting(w -> w.weight()).containsExactly(90, 10);
    assertThat(p.services().get("orders").retryPolicy().retryOn()).containsExactly(RetryOn.GATEWAY_ERROR);

    MeshConfig c =
        MeshConfig.fromJson(
            """
            {"traffic": {"loadBalancing": "weighted", "timeout": "3s"},
             "security": {"mtlsEnabled": false, "normalizePaths": false, "regexStepsPerChar": 1000},
             "observability": {"samplingRate": 1.0}}
            """);
    assertThat(c.traffic().loadBalancing()).isEqualTo(LoadBalancing.WEIGHTED);
    assertThat(c.traffic().timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.traffic().retryPolicy()).isEqualTo(MeshRetryPolicy.defaults()); // omitted: the seed's
    assertThat(c.security().mtlsEnabled()).isFalse();
    assertThat(c.security().normalizePaths()).isFalse();
    assertThat(c.security().regexStepsPerChar()).isEqualTo(1000);
    assertThat(c.observability().samplingRate()).isEqualTo(1.0);

    assertThatThrownBy(() -> MeshPolicies.fromJson("{\"services\": {\"orders\": {\"subsets\": {\"v1\": {\"v\": \"1\"}},"
            + " \"defaultRoute\": [{\"subset\": \"v1\", \"weight\": 80}]}}}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("weights must add up to 100, got 80");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "observability: {samplingRate: 1.5}|observability.samplingRate must be in [0.0, 1.0], was 1.5",
        "traffic: {timeout: 0s}|traffic.timeout must be a positive duration",
        "traffic: {destinationIdleTimeout: -1s}|traffic.destinationIdleTimeout must not be negative, was PT-1S",
        "traffic: {loadBalancing: fastest}|unknown loadBalancing \"fastest\"",
        "traffic: {retryPolicy: {maxRetries: -1}}|retryPolicy.maxRetries must be in [0, 100], was -1",
        "security: {allowedMethods: ['GE T']}|not a method token",
        "security: {normalizePaths: sometimes}|normalizePaths",
        "security: {normalisePaths: false}|normalisePaths",
        "security: {regexStepsPerChar: 0}|security.regexStepsPerChar must be > 0, was 0",
        "security: {regexStepsPerChar: -5}|security.regexStepsPerChar must be > 0, was -5",
        "security: {regexStepsPerChar: lots}|regexStepsPerChar",
      })
  void badConfig_failsNamingTheField(String yaml, String message) {
    assertThatThrownBy(() -> MeshConfig.fromYaml(yaml)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
  }

  @Test
  void retryClasses_coverTheSeedsNames() {
    assertThat(RetryOn.parse("5xx").covers(CallOutcome.GATEWAY_ERROR)).isTrue();
    assertThat(RetryOn.parse("5xx").covers(CallOutcome.SERVER_ERROR)).isTrue();
    assertThat(RetryOn.parse("gateway-error").covers(CallOutcome.SERVER_ERROR)).isFalse();
    assertThat(RetryOn.parse("CONNECT_FAILURE").covers(CallOutcome.CONNECT_FAILURE)).isTrue();
    assertThat(RetryOn.parse("reset").covers(CallOutcome.RESET)).isTrue();
    assertThat(RetryOn.parse("timeout").covers(CallOutcome.TIMEOUT)).isTrue();
    assertThat(Set.of(RetryOn.values())).allSatisfy(r -> assertThat(r.covers(CallOutcome.SUCCESS)).isFalse());
  }
}

package io.orchestra.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.mesh.policy.AuthorizationPolicy;
import io.orchestra.mesh.policy.MeshPolicies;
import io.orchestra.mesh.policy.MeshRetryPolicy;
import io.orchestra.mesh.policy.RouteMatch;
import io.orchestra.mesh.policy.RouteRule;
import io.orchestra.mesh.policy.ServicePolicy;
import io.orchestra.mesh.policy.StringMatch;
import io.orchestra.mesh.policy.WeightedDestination;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regular expressions that backtrack catastrophically ({@code ((a+)+)+$}, {@code (a|aa){1,50}$}
 * on a run of a's that ends in a character they cannot match) exceed the regex step budget and fail
 * closed through the traffic manager: a DENY policy applies, an ALLOW policy, a header match and a
 * route rule do not; the call never throws. Ordinary regexes decide as before. Outcomes only: the
 * budget (1 read per character, so the 10,000 floor) keeps every match here short, and
 * {@code internal.RegexBudgetTest} shows that without it these matches would read far more.
 */
class RegexBudgetTest {
  /**
   * 40 a's and a '!': {@code ((a+)+)+$} needs on the order of 2^40 steps to give up on it. (Not
   * {@code (a+)+$}: JDK 9 and later remember where a greedy group loop failed, which makes that
   * one quadratic; nesting it once more, or a counted repetition, still backtracks exponentially.)
   */
  private static final String RUN = "a".repeat(40) + "!";

  private final VirtualTime time = new VirtualTime();
  private final ScriptedTransport transport = new ScriptedTransport();
  private final TrafficManager manager = manager();

  private TrafficManager manager() {
    MeshPolicies policies =
        MeshPolicies.builder()
            .authorize(AuthorizationPolicy.deny("no-runs").paths(List.of(StringMatch.regex("/admin/((a+)+)+$"))).build())
            .authorize(AuthorizationPolicy.allow("runs").paths(List.of(StringMatch.regex("/api/((a+)+)+$"))).build())
            .authorize(AuthorizationPolicy.allow("orders").paths(List.of(StringMatch.regex("/orders/[0-9]+"))).build())
            .authorize(AuthorizationPolicy.allow("tenants")
                .paths(List.of(StringMatch.exact("/tenant")))
                .headers(Map.of("x-tenant", StringMatch.regex("(a|aa){1,50}$")))
                .build())
            .authorize(AuthorizationPolicy.allow("routes").paths(List.of(StringMatch.prefix("/route/"))).build())
            .service("orders", ServicePolicy.builder()
                .subset("a", Fixtures.labels("set", "a"))
                .subset("b", Fixtures.labels("set", "b"))
                .rule(RouteRule.builder("runs-to-b")
                    .match(RouteMatch.builder().path(StringMatch.regex("/route/((a+)+)+$")).build())
                    .destinations(List.of(WeightedDestination.of("b")))
                    .build())
                .rule(RouteRule.builder("users-to-b")
                    .match(RouteMatch.builder().header("x-user", StringMatch.regex("(a|aa){1,50}$")).build())
                    .destinations(List.of(WeightedDestination.of("b")))
                    .build())
                .defaultRoute(List.of(WeightedDestination.of("a")))
                .build())
            .build();
    return Fixtures.manager(time, InstanceSource.of(List.of(
                Fixtures.instance("orders", "a", 9001, "set", "a"), Fixtures.instance("orders", "b", 9002, "set", "b"))), transport)
        .config(MeshConfig.builder()
            .traffic(TrafficConfig.builder().retryPolicy(MeshRetryPolicy.none()).build())
            .security(SecurityConfig.builder().mtlsEnabled(false).rateLimitingEnabled(false).regexStepsPerChar(1).build())
            .observability(ObservabilityConfig.builder().samplingRate(0).build())
            .build())
        .policies(policies)
        .build();
  }

  private SecurityDecision check(Request request) {
    return manager.checkSecurity(MeshRequest.of(request, Fixtures.LOCAL), "orders");
  }

  @Test
  void denyPolicyOverBudget_applies_andSaysWhy() {
    SecurityDecision d = check(Request.get("/admin/" + RUN));
    assertThat(d.allowed()).isFalse();
    assertThat(d.reason()).isEqualTo(RejectionReason.AUTHORIZATION_DENIED);
    assertThat(d.policy()).isEqualTo("no-runs");
    assertThat(d.detail()).isEqualTo("DENY policy \"no-runs\" applies (regex step budget exceeded)");
    Response routed = Fixtures.now(manager.route(Request.get("/admin/" + RUN), "orders"));
    assertThat(routed.status()).isEqualTo(403);
    assertThat(routed.bodyAsString()).contains("regex step budget exceeded");
    assertThat(transport.calls).isEmpty();
  }

  @Test
  void allowPolicyOverBudget_doesNotAllow_andTheDefaultDenyNamesIt() {
    SecurityDecision d = check(Request.get("/api/" + RUN));
    assertThat(d.allowed()).isFalse();
    assertThat(d.reason()).isEqualTo(RejectionReason.AUTHORIZATION_DENIED);
    assertThat(d.policy()).isNull();
    assertThat(d.detail())
        .isEqualTo("no ALLOW policy applies (default deny); ALLOW policy \"runs\" not evaluated: regex step budget exceeded");
    assertThat(Fixtures.now(manager.route(Request.get("/api/" + RUN), "orders")).status()).isEqualTo(403);
    assertThat(transport.calls).isEmpty();
  }

  @Test
  void headerMatchOverBudget_doesNotMatch() {
    SecurityDecision d = check(Request.builder("GET", "/tenant").header("x-tenant", RUN).build());
    assertThat(d.allowed()).isFalse();
    assertThat(d.detail()).contains("ALLOW policy \"tenants\" not evaluated: regex step budget exceeded");
    assertThat(check(Request.builder("GET", "/tenant").header("x-tenant", "aaaa").build()).policy()).isEqualTo("tenants");
  }

  @Test
  void routeRulesOverBudget_doNotApply_theDefaultRouteDoes() {
    Response byPath = Fixtures.now(manager.route(Request.get("/route/" + RUN), "orders"));
    Response byHeader = Fixtures.now(manager.route(Request.builder("GET", "/route/x").header("x-user", RUN).build(), "orders"));
    assertThat(byPath.status()).isEqualTo(200);
    assertThat(byHeader.status()).isEqualTo(200);
    assertThat(transport.calls).extracting(c -> c.endpoint().port()).containsExactly(9001, 9001);
  }

  @Test
  void ordinaryRegexes_decideAsBefore() {
    assertThat(check(Request.get("/orders/42")).policy()).isEqualTo("orders");
    assertThat(check(Request.get("/orders/42?expand=items")).policy()).isEqualTo("orders");
    assertThat(check(Request.get("/orders/x")).allowed()).isFalse();
    assertThat(check(Request.get("/orders/x")).detail()).isEqualTo("no ALLOW policy applies (default deny)");
    // The catastrophic patterns themselves still match what they match, and reject short misses.
    assertThat(check(Request.get("/api/" + "a".repeat(40))).policy()).isEqualTo("runs");
    assertThat(check(Request.get("/api/aaa!")).detail()).isEqualTo("no ALLOW policy applies (default deny)");
    SecurityDecision admin = check(Request.get("/admin/aaaa"));
    assertThat(admin.policy()).isEqualTo("no-runs");
    assertThat(admin.detail()).isEqualTo("DENY policy \"no-runs\" applies");

    assertThat(Fixtures.now(manager.route(Request.get("/route/" + "a".repeat(40)), "orders")).status()).isEqualTo(200);
    assertThat(Fixtures.now(manager.route(Request.builder("GET", "/route/x").header("x-user", "aaa").build(), "orders")).status())
        .isEqualTo(200);
    assertThat(Fixtures.now(manager.route(Request.get("/route/x"), "orders")).status()).isEqualTo(200);
    assertThat(transport.calls).extracting(c -> c.endpoint().port()).containsExactly(9002, 9002, 9001);
  }
}

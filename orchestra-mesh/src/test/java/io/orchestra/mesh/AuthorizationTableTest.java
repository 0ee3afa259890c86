package io.orchestra.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.mesh.policy.AuthorizationPolicy;
import io.orchestra.mesh.policy.MeshPolicies;
import io.orchestra.mesh.policy.StringMatch;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Authorization semantics as a table: every row is a request and the policy that must decide it. */
class AuthorizationTableTest {
  private static final String SHOP_ADMIN = "spiffe://example.org/ns/shop/sa/admin";
  private static final String SHOP_WEB = "spiffe://example.org/ns/shop/sa/web";
  private static final String OPS_CRON = "spiffe://example.org/ns/ops/sa/cron";

  private static final MeshPolicies POLICIES =
      MeshPolicies.builder()
          .authorize(
              AuthorizationPolicy.deny("block-internal")
                  .destinations(List.of("orders"))
                  .paths(List.of(StringMatch.prefix("/internal/")))
                  .build())
          .authorize(
              AuthorizationPolicy.deny("no-debug-header")
                  .headers(Map.of("x-debug", StringMatch.exact("true")))
                  .build())
          .authorize(
              AuthorizationPolicy.allow("shop-reads")
                  .destinations(List.of("orders"))
                  .namespaces(List.of("shop"))
                  .methods(List.of("GET"))
                  .paths(List.of(StringMatch.regex("/orders/[0-9]+")))
                  .build())
          .authorize(
              AuthorizationPolicy.allow("admin-everything")
                  .principals(List.of(SHOP_ADMIN))
                  .build())
          .authorize(
              AuthorizationPolicy.allow("tenant-header")
                  .destinations(List.of("billing"))
                  .principals(List.of("spiffe://example.org/ns/ops/*"))
                  .headers(Map.of("x-tenant", StringMatch.prefix("acme-")))
                  .build())
          .build();

  static Stream<Arguments> table() {
    return Stream.of(
        // identity, destination, method, path, header name/value, allowed?, deciding policy
        Arguments.of(SHOP_WEB, "orders", "GET", "/orders/42", null, null, true, "shop-reads"),
        Arguments.of(SHOP_WEB, "orders", "GET", "/orders/42?expand=items", null, null, true, "shop-reads"),
        Arguments.of(SHOP_WEB, "orders", "GET", "/orders/abc", null, null, false, null), // regex is whole-path
        Arguments.of(SHOP_WEB, "orders", "POST", "/orders/42", null, null, false, null), // method not allowed by any
        Arguments.of(SHOP_WEB, "payments", "GET", "/orders/42", null, null, false, null), // policy scoped to orders
        Arguments.of(OPS_CRON, "orders", "GET", "/orders/42", null, null, false, null), // wrong namespace
        Arguments.of(SHOP_ADMIN, "payments", "DELETE", "/anything", null, null, true, "admin-everything"),
        Arguments.of(SHOP_ADMIN, "orders", "GET", "/internal/metrics", null, null, false, "block-internal"), // DENY wins
        Arguments.of(SHOP_WEB, "orders", "GET", "/orders/42", "x-debug", "true", false, "no-debug-header"),
        Arguments.of(SHOP_WEB, "orders", "GET", "/orders/42", "x-debug", "false", true, "shop-reads"),
        Arguments.of(OPS_CRON, "billing", "POST", "/invoices", "x-tenant", "acme-eu", true, "tenant-header"),
        Arguments.of(OPS_CRON, "billing", "POST", "/invoices", "x-tenant", "other", false, null),
        Arguments.of(OPS_CRON, "billing", "POST", "/invoices", null, null, false, null), // header missing
        Arguments.of(null, "orders", "GET", "/orders/1", null, null, false, null)); // anonymous
  }

  @ParameterizedTest(name = "{0} {2} {1}{3} [{4}={5}] -> allowed={6} by {7}")
  @MethodSource("table")
  void decides(
      String identity,
      String destination,
      String method,
      String path,
      String header,
      String value,
      boolean allowed,
      String policy) {
    VirtualTime time = new VirtualTime();
    ScriptedTransport transport = new ScriptedTransport();
    TrafficManager manager =
        Fixtures.manager(time, InstanceSource.of(List.of(
                Fixtures.instance("orders", "o1", 9001), Fixtures.instance("payments", "p1", 9002), Fixtures.instance("billing", "b1", 9003))), transport)
            .config(MeshConfig.builder()
                .security(SecurityConfig.builder().mtlsEnabled(false).rateLimitingEnabled(false)
                    .allowedMethods(java.util.Set.of("GET", "POST", "PUT", "DELETE")).build())
                .build())
            .policies(POLICIES)
            .build();
    Request.Builder rb = Request.builder(method, path);
    if (header != null) {
      rb.header(header, value);
    }
    PeerContext peer = PeerContext.builder().sourceService("web").identity(identity).build();
    MeshRequest request = MeshRequest.of(rb.build(), peer);

    SecurityDecision decision = manager.checkSecurity(request, destination);
    assertThat(decision.allowed()).as(decision.detail()).isEqualTo(allowed);
    assertThat(decision.policy()).isEqualTo(policy);
    if (!allowed) {
      assertThat(decision.reason()).isEqualTo(RejectionReason.AUTHORIZATION_DENIED);
      assertThat(decision.detail()).contains(policy == null ? "default deny" : "DENY policy \"" + policy + "\"");
    }

    // The same decision through route(): forwarded, or answered 403 naming the policy.
    Response r = Fixtures.now(manager.route(request, destination));
    if (allowed) {
      assertThat(r.status()).isEqualTo(200);
      assertThat(transport.total()).isEqualTo(1);
    } else {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.headers().get("x-orchestra-rejection")).isEqualTo("authorization_denied");
      assertThat(r.headers().get("x-orchestra-policy")).isEqualTo(policy);
      assertThat(r.bodyAsString()).contains("\"reason\":\"authorization_denied\"");
      assertThat(transport.total()).isZero();
    }
  }

  /**
   * A header sent twice must not slip past a DENY policy (any value matching denies) nor into an
   * ALLOW policy (every value must match): the destination may read either value.
   */
  @ParameterizedTest(name = "{0}: {1} then {2} -> allowed={3} by {4}")
  @MethodSource("repeatedHeaders")
  void repeatedHeader_cannotSlipPastADeny_norIntoAnAllow(
      String header, String first, String second, boolean allowed, String policy) {
    TrafficManager manager =
        Fixtures.manager(new VirtualTime(), InstanceSource.of(List.of()), new ScriptedTransport())
            .config(MeshConfig.builder()
                .security(SecurityConfig.builder().mtlsEnabled(false).rateLimitingEnabled(false).build())
                .build())
            .policies(POLICIES)
            .build();
    boolean debug = header.equals("x-debug");
    io.orchestra.core.transport.Headers headers =
        io.orchestra.core.transport.Headers.builder().add(header, first).add(header, second).build();
    Request request = Request.builder(debug ? "GET" : "POST", debug ? "/orders/42" : "/invoices").headers(headers).build();
    PeerContext peer = PeerContext.builder().identity(debug ? SHOP_WEB : OPS_CRON).build();

    SecurityDecision d = manager.checkSecurity(MeshRequest.of(request, peer), debug ? "orders" : "billing");
    assertThat(d.allowed()).as(d.detail()).isEqualTo(allowed);
    assertThat(d.policy()).isEqualTo(policy);
  }

  static Stream<Arguments> repeatedHeaders() {
    return Stream.of(
        Arguments.of("x-debug", "false", "true", false, "no-debug-header"),
        Arguments.of("x-debug", "true", "false", false, "no-debug-header"),
        Arguments.of("x-debug", "false", "no", true, "shop-reads"),
        Arguments.of("x-tenant", "acme-eu", "other", false, null),
        Arguments.of("x-tenant", "other", "acme-eu", false, null),
        Arguments.of("x-tenant", "acme-eu", "acme-us", true, "tenant-header"));
  }

  @Test
  void manyPolicies_beyondTheSixtyFourthStillMatchOnPrincipalAndNamespace() {
    MeshPolicies.Builder b = MeshPolicies.builder();
    for (int i = 0; i < 70; i++) {
      b.authorize(AuthorizationPolicy.allow("p" + i).principals(List.of("spiffe://example.org/ns/n" + i + "/*")).build());
    }
    b.authorize(AuthorizationPolicy.deny("d70").namespaces(List.of("n69")).methods(List.of("DELETE")).build());
    VirtualTime time = new VirtualTime();
    TrafficManager m =
        Fixtures.manager(time, InstanceSource.of(Fixtures.instances("orders", 9001, 1)), new ScriptedTransport())
            .config(MeshConfig.builder().security(SecurityConfig.builder().mtlsEnabled(false).rateLimitingEnabled(false).build()).build())
            .policies(b.build())
            .build();
    PeerContext n3 = PeerContext.builder().identity("spiffe://example.org/ns/n3/sa/x").build();
    PeerContext n69 = PeerContext.builder().identity("spiffe://example.org/ns/n69/sa/x").build();
    PeerContext n70 = PeerContext.builder().identity("spiffe://example.org/ns/n70/sa/x").build();
    assertThat(m.checkSecurity(MeshRequest.of(Request.get("/"), n3), "orders").policy()).isEqualTo("p3");
    assertThat(m.checkSecurity(MeshRequest.of(Request.get("/"), n69), "orders").policy()).isEqualTo("p69");
    SecurityDecision denied = m.checkSecurity(MeshRequest.of(Request.builder("DELETE", "/").build(), n69), "orders");
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.policy()).isEqualTo("d70");
    assertThat(m.checkSecurity(MeshRequest.of(Request.get("/"), n70), "orders").allowed()).isFalse();
  }

  @Test
  void noPoliciesAtAll_deniesEverything() {
    VirtualTime time = new VirtualTime();
    ScriptedTransport transport = new ScriptedTransport();
    TrafficManager manager =
        Fixtures.manager(time, InstanceSource.of(Fixtures.instances("orders", 9001, 1)), transport).build();
    Response r = Fixtures.now(manager.route(Request.get("/orders"), "orders"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.bodyAsString()).contains("default deny");
    assertThat(transport.total()).isZero();
  }

  @Test
  void authorizationDisabled_forwardsWithoutPolicies() {
    VirtualTime time = new VirtualTime();
    ScriptedTransport transport = new ScriptedTransport();
    TrafficManager manager =
        Fixtures.manager(time, InstanceSource.of(Fixtures.instances("orders", 9001, 1)), transport)
            .config(Fixtures.permissiveConfig().build())
            .build();
    assertThat(Fixtures.now(manager.route(Request.get("/orders"), "orders")).status()).isEqualTo(200);
  }
}

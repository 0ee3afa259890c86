package io.orchestra.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.instance.InstanceSource;
import io.orchestra.core.resilience.TokenBucket;
import io.orchestra.core.time.RandomSource;
import io.orchestra.core.time.VirtualTime;
import io.orchestra.core.transport.Endpoint;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.mesh.policy.AuthorizationPolicy;
import io.orchestra.mesh.policy.MeshPolicies;
import io.orchestra.mesh.policy.RateLimitPolicy;
import io.orchestra.mesh.policy.RouteMatch;
import io.orchestra.mesh.policy.RouteRule;
import io.orchestra.mesh.policy.ServicePolicy;
import io.orchestra.mesh.policy.StringMatch;
import io.orchestra.mesh.policy.WeightedDestination;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Paths are normalized before any policy sees them, so that a DENY on a prefix cannot be dodged
 * by spelling the path the way the destination will read it anyway; every step and the instance
 * see the same normalized path.
 */
class PathNormalizationTest {
  private static final MeshPolicies POLICIES =
      MeshPolicies.builder()
          .authorize(AuthorizationPolicy.deny("no-admin").paths(List.of(StringMatch.prefix("/admin/"))).build())
          .authorize(AuthorizationPolicy.allow("all").build())
          .service(
              "orders",
              ServicePolicy.builder()
                  .subset("v1", Fixtures.labels("version", "v1"))
                  .subset("green", Fixtures.labels("version", "green"))
                  .rule(RouteRule.builder("reports-to-green")
                      .match(RouteMatch.builder().path(StringMatch.prefix("/reports/")).build())
                      .destinations(List.of(WeightedDestination.of("green")))
                      .build())
                  .defaultRoute(List.of(WeightedDestination.of("v1")))
                  .build())
          .build();

  private final VirtualTime time = new VirtualTime();
  /** What the instances received, with the port each went to. */
  private final List<Request> received = new CopyOnWriteArrayList<>();
  private final List<Integer> ports = new CopyOnWriteArrayList<>();

  private TrafficManager manager(boolean normalizePaths, MeshPolicies policies) {
    return TrafficManager.builder()
        .instanceSource(InstanceSource.of(List.of(
            Fixtures.instance("orders", "v1", 9001, "version", "v1"),
            Fixtures.instance("orders", "green", 9002, "version", "green"))))
        .transport((Endpoint endpoint, Request request) -> {
          received.add(request);
          ports.add(endpoint.port());
          return CompletableFuture.completedFuture(Response.of(200, "ok"));
        })
        .ticker(time)
        .clock(time)
        .scheduler(time)
        .random(RandomSource.seeded(42))
        .localPeer(Fixtures.LOCAL)
        .config(MeshConfig.builder()
            .security(SecurityConfig.builder().mtlsEnabled(false).normalizePaths(normalizePaths).build())
            .observability(ObservabilityConfig.builder().samplingRate(0).build())
            .build())
        .policies(policies)
        .build();
  }

  private static MeshRequest request(String path) {
    return MeshRequest.of(Request.get(path), PeerContext.builder().sourceService("web").build());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/admin/x", "//admin/x", "/./admin/x", "/orders/../admin/x", "/%61dmin/x", "/%2e%2e/admin/x", "/admin//x?y=1"})
  void denyOnAPrefix_catchesEverySpellingOfThePath(String path) {
    TrafficManager m = manager(true, POLICIES);

    Response r = Fixtures.now(m.route(request(path), "orders"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.headers().get("x-orchestra-policy")).isEqualTo("no-admin");
    assertThat(received).isEmpty();

    SecurityDecision d = m.checkSecurity(request(path), "orders");
    assertThat(d.allowed()).isFalse();
    assertThat(d.policy()).isEqualTo("no-admin");
    assertThat(d.path()).startsWith("/admin/x");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"/orders/42, /orders/42", "//orders//42, /orders/42", "/a/../orders/./%34%32, /orders/42", "/orders/%7euser?q=%2F, /orders/~user?q=%2F"})
  void checkSecurity_returnsThePathItDecidedOn_forTheApplicationToServe(String sent, String decided) {
    TrafficManager m = manager(true, POLICIES);

    SecurityDecision d = m.checkSecurity(request(sent), "orders");
    assertThat(d.allowed()).isTrue();
    assertThat(d.path()).isEqualTo(decided);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"//admin/x", "/./admin/x", "/orders/../admin/x", "/%61dmin/x"})
  void switchedOff_pathsAreMatchedAndForwardedAsSent(String path) {
    TrafficManager m = manager(false, POLICIES);

    SecurityDecision d = m.checkSecurity(request(path), "orders");
    assertThat(d.allowed()).isTrue();
    assertThat(d.path()).isEqualTo(path);
    Response r = Fixtures.now(m.route(request(path), "orders"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(received).singleElement().extracting(Request::path).isEqualTo(path);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/admin%2Fx", "/admin%2fx", "/admin%5Cx", "/admin\\x", "/admin%zz"})
  void ambiguousPath_isAnsweredInvalidRequest_namingThePath(String path) {
    TrafficManager m = manager(true, POLICIES);

    Response r = Fixtures.now(m.route(request(path), "orders"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.headers().get("x-orchestra-rejection")).isEqualTo("invalid_request");
    assertThat(r.bodyAsString()).contains("\"reason\":\"invalid_request\"").contains("is ambiguous");
    assertThat(received).isEmpty();

    SecurityDecision d = m.checkSecurity(request(path), "orders");
    assertThat(d.allowed()).isFalse();
    assertThat(d.reason()).isEqualTo(RejectionReason.INVALID_REQUEST);
    assertThat(d.detail()).startsWith("path \"" + path + "\" is ambiguous: ");
    assertThat(d.path()).isNull();
  }

  @Test
  void ambiguousPath_detailSaysWhy() {
    SecurityDecision d = manager(true, POLICIES).checkSecurity(request("/a%2Fb"), "orders");
    assertThat(d.detail()).isEqualTo("path \"/a%2Fb\" is ambiguous: encoded slash");
  }

  @Test
  void switchedOff_anEncodedSlashIsForwardedAsSent() {
    Response r = Fixtures.now(manager(false, POLICIES).route(request("/admin%2Fx"), "orders"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(received).singleElement().extracting(Request::path).isEqualTo("/admin%2Fx");
  }

  @Test
  void theInstanceReceivesTheNormalizedPath_withTheQueryAsSent() {
    Request sent =
        Request.builder("POST", "/orders//42/./items/%7euser/../x?next=//a/../b").header("x-tenant", "acme").body("{}").build();
    Response r = Fixtures.now(manager(true, POLICIES).route(MeshRequest.of(sent, PeerContext.builder().build()), "orders"));

    assertThat(r.status()).isEqualTo(200);
    Request got = received.get(0);
    assertThat(got.path()).isEqualTo("/orders/42/items/x?next=//a/../b");
    assertThat(got.method()).isEqualTo("POST");
    assertThat(got.headers().get("x-tenant")).isEqualTo("acme");
    assertThat(new String(got.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{}");
  }

  @Test
  void anAlreadyNormalPath_isForwardedAsTheSameString() {
    String path = new String("/orders/42?expand=items");
    Fixtures.now(manager(true, POLICIES).route(request(path), "orders"));
    assertThat(received.get(0).path()).isSameAs(path);
  }

  @Test
  void routeRules_matchTheNormalizedPath() {
    TrafficManager m = manager(true, POLICIES);
    Fixtures.now(m.route(request("//reports/daily"), "orders"));
    Fixtures.now(m.route(request("/%72eports/daily"), "orders"));
    Fixtures.now(m.route(request("/orders/1"), "orders"));
    assertThat(ports).containsExactly(9002, 9002, 9001);
  }

  @Test
  void rateLimitPathKeys_shareTheBucketOfTheNormalizedPath() {
    MeshPolicies limited =
        MeshPolicies.builder()
            .authorize(AuthorizationPolicy.allow("all").build())
            .rateLimit(RateLimitPolicy.builder("per-path")
                .key(RateLimitPolicy.Key.PATH)
                .limit(TokenBucket.Config.builder().permitsPerPeriod(1).period(Duration.ofHours(1)).burst(1).build())
                .build())
            .build();
    TrafficManager m = manager(true, limited);

    assertThat(Fixtures.now(m.route(request("/orders/1"), "orders")).status()).isEqualTo(200);
    assertThat(Fixtures.now(m.route(request("/orders/./1?x=1"), "orders")).status()).isEqualTo(429);
    assertThat(Fixtures.now(m.route(request("//orders//1"), "orders")).status()).isEqualTo(429);
    assertThat(Fixtures.now(m.route(request("/orders/2"), "orders")).status()).isEqualTo(200);
  }
}

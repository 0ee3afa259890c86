package io.orchestra.discovery.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.discovery.ClientContext;
import io.orchestra.discovery.DiscoveryConfig;
import io.orchestra.discovery.LoadBalancing;
import io.orchestra.discovery.Mechanism;
import io.orchestra.discovery.Registration;
import io.orchestra.discovery.ServiceDiscovery;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The production DNS path (JNDI's DNS client) against a real UDP DNS server on loopback. */
class DnsSourceTest {
  private LoopbackDnsServer dns;
  private DnsSource source;

  @BeforeEach
  void start() throws Exception {
    dns = new LoopbackDnsServer();
    source = DnsSource.builder().server(dns.url()).domain("svc.test").timeout(Duration.ofMillis(500)).retries(1).build();
  }

  @AfterEach
  void stop() throws Exception {
    dns.close();
  }

  private List<Registration> fetch(String service) throws Exception {
    return source.fetch(service).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("SRV records become instances on their ports, weighted, targets resolved to addresses")
  void srvRecords() throws Exception {
    dns.srv("_orders._tcp.svc.test", 10, 60, 8081, "a.svc.test");
    dns.srv("_orders._tcp.svc.test", 10, 20, 8082, "b.svc.test");
    dns.srv("_orders._tcp.svc.test", 20, 100, 8083, "backup.svc.test");
    dns.a("a.svc.test", "127.0.0.11");
    dns.a("b.svc.test", "127.0.0.12");
    dns.aaaa("b.svc.test", "::1");
    dns.a("backup.svc.test", "127.0.0.13");

    Map<String, ServiceInstance> byId =
        fetch("orders").stream().map(Registration::instance).collect(Collectors.toMap(ServiceInstance::id, i -> i));
    assertThat(byId).containsOnlyKeys("dns:127.0.0.11:8081", "dns:127.0.0.12:8082", "dns:::1:8082");
    ServiceInstance a = byId.get("dns:127.0.0.11:8081");
    assertThat(a.host()).isEqualTo("127.0.0.11");
    assertThat(a.port()).isEqualTo(8081);
    assertThat(a.weight()).isEqualTo(60);
    assertThat(a.metadata()).containsEntry("dns.target", "a.svc.test").containsEntry("dns.priority", "10");
    assertThat(byId.get("dns:127.0.0.12:8082").weight()).isEqualTo(20);
    assertThat(dns.questions).contains("_orders._tcp.svc.test/33", "a.svc.test/1", "b.svc.test/28");
  }

  @Test
  @DisplayName("without SRV records, A and AAAA records on the default port")
  void fallbackToAddressRecords() throws Exception {
    dns.a("cart.svc.test", "127.0.0.21");
    dns.a("cart.svc.test", "127.0.0.22");
    dns.aaaa("cart.svc.test", "::1");
    List<Registration> got = fetch("cart");
    assertThat(got).extracting(r -> r.instance().host())
        .containsExactlyInAnyOrder("127.0.0.21", "127.0.0.22", "::1");
    assertThat(got).allSatisfy(r -> assertThat(r.instance().port()).isEqualTo(80));
  }

  @Test
  @DisplayName("an SRV record with target \".\" says the service is decidedly not available: an empty answer, no A/AAAA fallback")
  void rootTargetMeansNotAvailable() throws Exception {
    dns.srv("_retired._tcp.svc.test", 0, 0, 0, ".");
    dns.a("retired.svc.test", "127.0.0.41");
    assertThat(fetch("retired")).isEmpty();
    assertThat(dns.questions).contains("_retired._tcp.svc.test/33").doesNotContain("retired.svc.test/1");
  }

  @Test
  void unknownNameIsAnEmptyAnswer() throws Exception {
    assertThat(fetch("nothing")).isEmpty();
  }

  @Test
  @DisplayName("an unreachable server fails the stage (and discovery's other sources carry on)")
  void unreachableServerFails() throws Exception {
    dns.close();
    assertThatThrownBy(() -> fetch("orders"))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(DnsLookupException.class)
        .hasMessageContaining("orders");
  }

  @Test
  @DisplayName("the JDK client retries a lost UDP answer")
  void lostAnswerIsRetried() throws Exception {
    dns.a("cart.svc.test", "127.0.0.21");
    dns.dropNext.set(1);
    assertThat(fetch("cart")).hasSize(1);
  }

  @Test
  @DisplayName("discovery over DNS alone: weighted round robin follows the SRV weights")
  void discoveryOverDns() throws Exception {
    dns.srv("_orders._tcp.svc.test", 0, 1, 9001, "a.svc.test");
    dns.srv("_orders._tcp.svc.test", 0, 3, 9002, "b.svc.test");
    dns.a("a.svc.test", "127.0.0.31");
    dns.a("b.svc.test", "127.0.0.32");
    try (ServiceDiscovery discovery =
        ServiceDiscovery.builder()
            .config(
                DiscoveryConfig.builder()
                    .mechanisms(EnumSet.of(Mechanism.DNS))
                    .algorithm(LoadBalancing.WEIGHTED_ROUND_ROBIN)
                    .build())
            .source(source)
            .build()) {
      int b = 0;
      for (int i = 0; i < 400; i++) {
        if (discovery.discover("orders", ClientContext.none()).port() == 9002) {
          b++;
        }
      }
      assertThat(b).isEqualTo(300);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "'10 60 8080 a.example.com.', 10, 60, 8080, a.example.com",
    "'0 0 1 x', 0, 0, 1, x"
  })
  void parsesSrvText(String text, int priority, int weight, int port, String target) {
    assertThat(SrvRecord.parse(text)).isEqualTo(new SrvRecord(priority, weight, port, target));
  }

  @Test
  void rejectsBadSrvText() {
    assertThatThrownBy(() -> SrvRecord.parse("10 60 a.example.com.")).hasMessageContaining("4 fields");
    assertThatThrownBy(() -> SrvRecord.parse("10 60 0 a.")).hasMessageContaining("srv.port");
    assertThatThrownBy(() -> DnsSource.builder().server("http://x")).hasMessageContaining("dns.server");
  }
}

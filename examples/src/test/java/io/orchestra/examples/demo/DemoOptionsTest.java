package io.orchestra.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void noArguments_isTheShortRunOnTheEmbeddedRegistry() {
    DemoOptions o = DemoOptions.parse();
    assertThat(o.longRun()).isFalse();
    assertThat(o.zookeeper()).isNull();
    assertThat(o.orders()).isEqualTo(40);
    assertThat(o.pause()).isEqualTo(Duration.ZERO);
  }

  @Test
  void anEmptyArgument_fromAnEmptyDemoArgsProperty_isIgnored() {
    assertThat(DemoOptions.parse("").longRun()).isFalse();
  }

  @Test
  void longRun_placesMoreOrders_andPausesBetweenPhases() {
    DemoOptions o = DemoOptions.parse("--long");
    assertThat(o.orders()).isEqualTo(400);
    assertThat(o.canaryRequests()).isGreaterThan(DemoOptions.parse().canaryRequests());
    assertThat(o.pause()).isPositive();
  }

  @Test
  void zookeeperOrdersAndOut_areTaken() {
    DemoOptions o = DemoOptions.parse("--zookeeper", "127.0.0.1:2181", "--orders", "12", "--out", "/tmp/x");
    assertThat(o.zookeeper()).isEqualTo("127.0.0.1:2181");
    assertThat(o.orders()).isEqualTo(12);
    assertThat(o.output()).isEqualTo(Path.of("/tmp/x"));
  }

  @Test
  void badArguments_failWithTheUsage() {
    assertThatThrownBy(() -> DemoOptions.parse("--fast")).hasMessageContaining("unknown option --fast").hasMessageContaining("usage");
    assertThatThrownBy(() -> DemoOptions.parse("--orders", "0")).hasMessageContaining("--orders must be a positive number, was 0");
    assertThatThrownBy(() -> DemoOptions.parse("--zookeeper")).hasMessageContaining("--zookeeper needs a value");
  }
}

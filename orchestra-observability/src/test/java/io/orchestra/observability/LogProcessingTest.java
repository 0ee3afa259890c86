package io.orchestra.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.time.VirtualTime;
import io.orchestra.observability.logs.LogFormat;
import io.orchestra.observability.logs.LogLevel;
import io.orchestra.observability.logs.LogRecord;
import io.orchestra.observability.logs.LogsResult;
import io.orchestra.observability.metrics.Rollup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogProcessingTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void parsesJsonKeyValueAndTextMasksEverythingAndEnriches() {
    VirtualTime time = Engines.time();
    List<LogRecord> forwarded = new ArrayList<>();
    try (ObservabilityEngine engine = Engines.on(time, ObservabilityConfig.defaults()).logForwarder(forwarded::add).build()) {
      LogsResult r = engine.processServiceLogs("payments", Arrays.asList(
          "{\"level\":\"error\",\"msg\":\"charge failed for jane@shop.com\",\"trace_id\":\"" + TRACE + "\",\"span_id\":\"00f067aa0ba902b7\","
              + "\"card\":4111111111111111,\"user\":{\"password\":\"hunter2\",\"id\":42},\"duration_ms\":187.5}",
          "ts=2026-01-01T00:00:01Z level=warn msg=\"retrying call\" token=abc123456 trace_id=" + TRACE + " status=503",
          "2026-01-01 00:00:02 INFO started worker 3",
          "{\"level\": \"info\", \"msg\": broken json",
          "",
          "java.lang.IllegalStateException: boom\n\tat x.Y.z(Y.java:1)"));
      assertThat(r.received()).isEqualTo(6);
      assertThat(r.rejected()).singleElement().satisfies(x -> assertThat(x.reason()).isEqualTo("empty"));
      assertThat(r.malformed()).isEqualTo(1);
      List<LogRecord> recs = r.records();
      assertThat(recs).hasSize(5);

      LogRecord json = recs.get(0);
      assertThat(json.format()).isEqualTo(LogFormat.JSON);
      assertThat(json.level()).isEqualTo(LogLevel.ERROR);
      assertThat(json.message()).isEqualTo("charge failed for [email]");
      assertThat(json.traceId()).isEqualTo(TRACE);
      assertThat(json.spanId()).isEqualTo("00f067aa0ba902b7");
      assertThat(json.fields()).containsEntry("card", "[card]").containsEntry("user.password", "[secret]")
          .containsEntry("user.id", "42").containsEntry("environment", "production").containsEntry("cluster", "default");
      assertThat(json.error()).isTrue();

      LogRecord kv = recs.get(1);
      assertThat(kv.format()).isEqualTo(LogFormat.KEY_VALUE);
      assertThat(kv.level()).isEqualTo(LogLevel.WARN);
      assertThat(kv.message()).isEqualTo("retrying call");
      assertThat(kv.fields()).containsEntry("token", "[secret]");
      assertThat(kv.error()).as("5xx status").isTrue();
      assertThat(kv.timestampEpochMillis()).isEqualTo(time.millis() + 1000);

      assertThat(recs.get(2).level()).isEqualTo(LogLevel.INFO);
      assertThat(recs.get(3).malformed()).isTrue();
      assertThat(recs.get(3).format()).isEqualTo(LogFormat.TEXT);
      assertThat(recs.get(4).error()).as("exception without level").isTrue();
      assertThat(recs.get(4).level()).isEqualTo(LogLevel.ERROR);

      // Nothing unmasked was stored or forwarded.
      for (LogRecord x : forwarded) {
        String all = x.message() + x.fields();
        assertThat(all).doesNotContain("hunter2", "jane@shop.com", "4111111111111111", "abc123456");
      }
      assertThat(forwarded).hasSize(5);
      assertThat(engine.logsForTrace(TRACE)).hasSize(2);
      assertThat(engine.badInput().count("log", "malformed_json")).isEqualTo(1);
      assertThat(engine.badInput().count("log", "empty")).isEqualTo(1);

      // Metrics extracted from the lines.
      TimeWindow w = TimeWindow.last(Duration.ofMinutes(1), time);
      assertThat(engine.rollups("payments", "log.lines", Map.of("level", "error"), 0, w)).extracting(Rollup::sum).containsExactly(2.0);
      assertThat(engine.rollups("payments", "log.duration.ms", Map.of(), 0, w)).singleElement()
          .satisfies(x -> assertThat(x.max()).isEqualTo(187.5));
      assertThat(engine.rollups("payments", "log.http.responses", Map.of("status_class", "5xx"), 0, w)).extracting(Rollup::sum)
          .containsExactly(1.0);
    }
  }

  @Test
  void epochTimestampsThatPassLuhnAreReadAsTimestampsNotMaskedAsCards() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, ObservabilityConfig.defaults()).build()) {
      long ts = 1_767_225_600_009L; // passes Luhn
      LogsResult r = engine.processServiceLogs("a", List.of(
          "{\"ts\":" + ts + ",\"level\":\"info\",\"msg\":\"x\"}",
          "ts=" + ts + " level=info msg=y",
          "{\"ts\":" + ts + ",\"msg\":\"paid 4111111111111111\"}"));
      assertThat(r.records()).extracting(LogRecord::timestampEpochMillis).containsExactly(ts, ts, ts);
      assertThat(r.records().get(2).message()).isEqualTo("paid [card]");
    }
  }

  @Test
  void longLinesAreMaskedWholeBeforeTheyAreCut() {
    VirtualTime time = Engines.time();
    List<LogRecord> forwarded = new ArrayList<>();
    ObservabilityConfig config = ObservabilityConfig.builder().logging(LoggingConfig.builder().maxLineLength(64).build()).build();
    try (ObservabilityEngine engine = Engines.on(time, config).logForwarder(forwarded::add).build()) {
      // Each secret straddles character 64: cut first, its head would no longer look like one.
      LogsResult r = engine.processServiceLogs("a", List.of(
          "x".repeat(44) + " card 4111111111111111 declined",
          "x".repeat(50) + " mail jane.doe@example.com",
          "x".repeat(54) + " password=hunter2",
          "{\"msg\":\"" + "y".repeat(40) + "\",\"card\":\"4111 1111 1111 1111\"}"));
      assertThat(r.records()).hasSize(4).allSatisfy(x -> assertThat(x.message().length()).isLessThanOrEqualTo(64));
      for (LogRecord x : forwarded) {
        assertThat(x.message() + x.fields()).doesNotContain("4111", "jane", "hunt");
      }
      assertThat(forwarded).hasSize(4);
      assertThat(engine.badInput().count("log", "truncated")).isEqualTo(3);
    }
  }

  @Test
  void linesBelowTheConfiguredLevelAreCountedButNotStored() {
    VirtualTime time = Engines.time();
    ObservabilityConfig config = ObservabilityConfig.builder().logging(LoggingConfig.builder().logLevel(LogLevel.WARN).build()).build();
    try (ObservabilityEngine engine = Engines.on(time, config).build()) {
      LogsResult r = engine.processServiceLogs("a", List.of("level=info msg=x trace_id=" + TRACE, "level=error msg=y trace_id=" + TRACE));
      assertThat(r.stored()).isEqualTo(1);
      assertThat(engine.logsForTrace(TRACE)).extracting(LogRecord::message).containsExactly("y");
    }
  }

  @Test
  void unknownOrBlankServicesAreCountedNotThrown() {
    VirtualTime time = Engines.time();
    try (ObservabilityEngine engine = Engines.on(time, ObservabilityConfig.defaults()).build()) {
      assertThat(engine.processServiceLogs(" ", List.of("x")).records()).isEmpty();
      assertThat(engine.collectServiceMetrics(null, Map.of("a", 1)).accepted()).isEmpty();
      assertThat(engine.generateServiceHealthDashboard("ghost", Duration.ofMinutes(5)).known()).isFalse();
      BadInputReport bad = engine.badInput();
      assertThat(bad.count("service", "invalid_name")).isEqualTo(2);
      assertThat(bad.count("service", "unknown")).isEqualTo(1);
    }
  }
}

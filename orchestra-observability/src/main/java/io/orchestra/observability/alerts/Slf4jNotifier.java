package io.orchestra.observability.alerts;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes notifications to SLF4J: firing groups at WARN, resolved at INFO, one line per alert
 * (rule, service, severity, value, message; evidence as counts and trace ids only). Thread-safe.
 */
public final class Slf4jNotifier implements Notifier {
  private final Logger log;

  /** Logs to {@code io.orchestra.observability.alerts}. */
  public Slf4jNotifier() {
    this(LoggerFactory.getLogger("io.orchestra.observability.alerts"));
  }

  /** Logs to {@code logger}. */
  public Slf4jNotifier(Logger logger) {
    this.log = logger;
  }

  @Override
  public CompletionStage<Void> send(AlertNotification n) {
    for (Alert a : n.alerts()) {
      String line = "alert {} {} service={} severity={} value={} condition=[{}] message=[{}] traces={} logs={} edges={}";
      Object[] args = {
        a.state(), a.ruleId(), a.serviceName(), a.severity(), a.value(), a.condition(), a.message(),
        a.evidence().exemplarTraceIds(), a.evidence().logLines().size(), a.evidence().dependencyEdges().size()
      };
      if (a.state() == AlertState.FIRING) {
        log.warn(line, args);
      } else {
        log.info(line, args);
      }
    }
    return CompletableFuture.completedFuture(null);
  }
}

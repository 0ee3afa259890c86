package io.orchestra.observability.logs;

import io.orchestra.core.internal.Checks;
import io.orchestra.core.trace.TraceContext;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * Puts the current request's trace into the SLF4J {@link MDC} under {@code trace_id}, {@code
 * span_id} and {@code trace_flags}, so that application log lines carry them (add {@code
 * %X{trace_id}} to the layout, or use a JSON encoder) and the engine can correlate those lines
 * with spans when they come back through {@code processServiceLogs}.
 *
 * <pre>{@code
 * try (TraceMdc.Scope scope = TraceMdc.put(context)) {
 *   log.info("charging card");   // carries trace_id and span_id
 * }
 * }</pre>
 *
 * <p>The MDC is per thread: use {@link #wrap(TraceContext, Runnable)} when work moves to another
 * thread. Thread-safe.
 */
public final class TraceMdc {
  /** MDC key of the 32-hex-digit trace id. */
  public static final String TRACE_ID = "trace_id";

  /** MDC key of the 16-hex-digit span id. */
  public static final String SPAN_ID = "span_id";

  /** MDC key of the two-hex-digit trace flags. */
  public static final String TRACE_FLAGS = "trace_flags";

  private TraceMdc() {}

  /** Sets the keys for {@code context}; closing the scope restores what was there before. */
  public static Scope put(TraceContext context) {
    Checks.notNull("context", context);
    Scope scope = new Scope(MDC.get(TRACE_ID), MDC.get(SPAN_ID), MDC.get(TRACE_FLAGS));
    MDC.put(TRACE_ID, context.traceIdHex());
    MDC.put(SPAN_ID, context.spanIdHex());
    MDC.put(TRACE_FLAGS, context.sampled() ? "01" : "00");
    return scope;
  }

  /** The trace id in the current thread's MDC, or null. */
  public static String currentTraceId() {
    return MDC.get(TRACE_ID);
  }

  /** The span id in the current thread's MDC, or null. */
  public static String currentSpanId() {
    return MDC.get(SPAN_ID);
  }

  /** {@code task} running with {@code context} in the MDC of whatever thread runs it. */
  public static Runnable wrap(TraceContext context, Runnable task) {
    Checks.notNull("task", task);
    Checks.notNull("context", context);
    return () -> {
      try (Scope ignored = put(context)) {
        task.run();
      }
    };
  }

  /** {@code task} running with {@code context} in the MDC of whatever thread runs it. */
  public static <T> Callable<T> wrap(TraceContext context, Callable<T> task) {
    Checks.notNull("task", task);
    Checks.notNull("context", context);
    return () -> {
      try (Scope ignored = put(context)) {
        return task.call();
      }
    };
  }

  /** Restores the previous MDC values on close. Not thread-safe: close on the thread that opened it. */
  public static final class Scope implements AutoCloseable {
    private final String traceId;
    private final String spanId;
    private final String flags;

    private Scope(String traceId, String spanId, String flags) {
      this.traceId = traceId;
      this.spanId = spanId;
      this.flags = flags;
    }

    @Override
    public void close() {
      restore(TRACE_ID, traceId);
      restore(SPAN_ID, spanId);
      restore(TRACE_FLAGS, flags);
    }

    private static void restore(String key, String value) {
      if (value == null) {
        MDC.remove(key);
      } else {
        MDC.put(key, value);
      }
    }
  }
}

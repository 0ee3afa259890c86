package io.orchestra.core.resilience.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An atomic long alone on its cache line. Counters that every call writes are padded so that the
 * cache line they bounce between cores does not also carry fields that other cores only read
 * (false sharing). The superclass chain keeps the padding before and after the value, as the JVM
 * lays out superclass fields first.
 */
public final class PaddedLong extends PaddedLongValue {
  private static final VarHandle VALUE;

  static {
    try {
      VALUE = MethodHandles.lookup().findVarHandle(PaddedLongValue.class, "value", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  long q1, q2, q3, q4, q5, q6, q7;

  public long get() {
    return value;
  }

  public long getAndIncrement() {
    return (long) VALUE.getAndAdd(this, 1L);
  }

  public boolean compareAndSet(long expected, long value) {
    return VALUE.compareAndSet(this, expected, value);
  }

  public void set(long value) {
    this.value = value;
  }

  public long addAndGet(long delta) {
    return (long) VALUE.getAndAdd(this, delta) + delta;
  }
}

abstract class PaddedLongLeft {
  long p1, p2, p3, p4, p5, p6, p7;
}

abstract class PaddedLongValue extends PaddedLongLeft {
  volatile long value;
}

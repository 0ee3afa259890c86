package io.orchestra.observability.internal;

/**
 * A 128-bit trace id as a hash key, hashed and compared by its bits: hashing the 32-digit hex
 * text instead costs a 32-step multiply chain per lookup, the largest single item of storing a
 * span after the id's own encoding. {@link StoredTrace} extends it, so that a stored trace is
 * its own key; {@link TraceStore} looks ids up with {@link #hash} and the bits, without a key
 * object.
 */
class TraceKey {
  final long high;
  final long low;

  TraceKey(long high, long low) {
    this.high = high;
    this.low = low;
  }

  @Override
  public final int hashCode() {
    return hash(high, low);
  }

  /** The {@link #hashCode} of the id {@code high}, {@code low}, without a key object. */
  static int hash(long high, long low) {
    long z = high * 0x9E3779B97F4A7C15L + low;
    z = (z ^ (z >>> 32)) * 0xD6E8FEB86659FD93L;
    return (int) (z ^ (z >>> 32));
  }

  @Override
  public final boolean equals(Object o) {
    return o instanceof TraceKey && ((TraceKey) o).high == high && ((TraceKey) o).low == low;
  }
}

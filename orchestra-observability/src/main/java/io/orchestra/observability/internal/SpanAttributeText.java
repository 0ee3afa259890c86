package io.orchestra.observability.internal;

/**
 * Turns sink span attributes into the stored strings on the drain, without repeating work that
 * is the same for every span: a key's sensitivity (a scan of every sensitive suffix) is
 * remembered per key in a small direct-mapped table, since attribute keys are a handful of
 * constants; small non-negative numbers (status codes, retry counts) are recorded as shared
 * boxes and come from a table of their decimal strings, already masked.
 *
 * <p>Not thread-safe: the trace pipeline uses its one instance under the store lock.
 */
final class SpanAttributeText {
  private static final int NUMBERS = 1024;
  private static final String[] NUMBER_TEXT = new String[NUMBERS];
  private static final String[] MASKED_NUMBER_TEXT = new String[NUMBERS];
  private static final Long[] BOXES = new Long[NUMBERS];
  private static final int KEY_SLOTS = 256; // a power of two

  static {
    for (int i = 0; i < NUMBERS; i++) {
      NUMBER_TEXT[i] = Integer.toString(i).intern();
      MASKED_NUMBER_TEXT[i] = Masker.mask(NUMBER_TEXT[i]); // no detector fires on 4 digits, but ask it
      BOXES[i] = (long) i;
    }
  }

  private final String[] keys = new String[KEY_SLOTS];
  private final boolean[] sensitive = new boolean[KEY_SLOTS];
  // The last key asked about: spans of one kind repeat the same key constants, and an identity
  // check skips hashing it and reading the table.
  private String lastKey;
  private boolean lastSensitive;

  /**
   * {@code v} boxed as a span records it: from a shared table for small non-negative numbers
   * (Java's own cache ends at 127, below most status codes), so recording one allocates nothing.
   */
  static Long box(long v) {
    return v >= 0 && v < NUMBERS ? BOXES[(int) v] : Long.valueOf(v);
  }

  /** The stored text of {@code value} (a String or a Long, as the span recorded it). */
  static String text(Object value) {
    if (value instanceof Long) {
      long v = (Long) value;
      return v >= 0 && v < NUMBERS ? NUMBER_TEXT[(int) v] : Long.toString(v);
    }
    return String.valueOf(value);
  }

  /** The stored value of attribute {@code key}: sensitive keys lose it, everything else is masked. */
  String masked(String key, String value) {
    return sensitive(key) ? "[secret]" : Masker.mask(value);
  }

  /**
   * {@link #masked(String, String)} of the {@link #text} of a recorded value; a small number's
   * masked text comes from the table instead of running the masker over its digits.
   */
  String masked(String key, Object value) {
    if (sensitive(key)) {
      return "[secret]";
    }
    if (value instanceof Long) {
      long v = (Long) value;
      if (v >= 0 && v < NUMBERS) {
        return MASKED_NUMBER_TEXT[(int) v];
      }
    }
    return Masker.mask(text(value));
  }

  /** {@link Masker#isSensitiveKey(CharSequence)}, remembered for the last key seen in each slot. */
  boolean sensitive(String key) {
    if (key == lastKey) {
      return lastSensitive;
    }
    boolean s = slotSensitive(key);
    lastKey = key;
    lastSensitive = s;
    return s;
  }

  private boolean slotSensitive(String key) {
    int slot = spread(key.hashCode()) & (KEY_SLOTS - 1);
    String cached = keys[slot];
    if (cached != null && (cached == key || cached.equals(key))) {
      return sensitive[slot];
    }
    boolean s = Masker.isSensitiveKey(key);
    keys[slot] = key;
    sensitive[slot] = s;
    return s;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}

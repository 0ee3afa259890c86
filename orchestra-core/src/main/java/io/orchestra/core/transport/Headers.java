package io.orchestra.core.transport;

import io.orchestra.core.internal.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Immutable, ordered HTTP header fields. Names are case-insensitive and stored in lower case; a
 * name may repeat. Lookups scan a flat array, which beats hashing for the handful of headers a
 * request carries and allocates nothing.
 */
public final class Headers {
  private static final String[] NONE = new String[0];
  private static final Headers EMPTY = new Headers(NONE, null, null);

  /** name0, value0, name1, value1, ...: every pair but the trailing one. */
  private final String[] pairs;
  /**
   * The last pair, kept out of {@link #pairs} (null when there is none): setting a header that is
   * not present yet, as request paths do once per attempt ({@code traceparent}), then shares the
   * array instead of copying it. Setting another header folds the pair back into an array.
   */
  private final String lastName;
  private final String lastValue;

  private Headers(String[] pairs, String lastName, String lastValue) {
    this.pairs = pairs;
    this.lastName = lastName;
    this.lastValue = lastValue;
  }

  private Headers(String[] pairs) {
    this(pairs, null, null);
  }

  /** No headers. */
  public static Headers empty() {
    return EMPTY;
  }

  /** Headers from alternating names and values: {@code of("accept", "text/plain", ...)}. */
  public static Headers of(String... namesAndValues) {
    Checks.notNull("namesAndValues", namesAndValues);
    Checks.argument(
        namesAndValues.length % 2 == 0,
        "headers need name/value pairs, got %s strings",
        namesAndValues.length);
    if (namesAndValues.length == 0) {
      return EMPTY;
    }
    String[] copy = new String[namesAndValues.length];
    for (int i = 0; i < namesAndValues.length; i += 2) {
      copy[i] = normalizeName(namesAndValues[i]);
      copy[i + 1] = Checks.notNull("header value of " + copy[i], namesAndValues[i + 1]);
    }
    return new Headers(copy);
  }

  /** Headers from a map of names to values lists. */
  public static Headers of(Map<String, ? extends List<String>> map) {
    Checks.notNull("headers", map);
    Builder b = builder();
    map.forEach((name, values) -> values.forEach(v -> b.add(name, v)));
    return b.build();
  }

  /** A builder for headers. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting with these headers. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.pairs.addAll(Arrays.asList(pairs));
    if (lastName != null) {
      b.pairs.add(lastName);
      b.pairs.add(lastValue);
    }
    return b;
  }

  /** The first value of {@code name}, or {@code null} when absent. */
  public String get(String name) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equalsIgnoreCase(name)) {
        return pairs[i + 1];
      }
    }
    return lastName != null && lastName.equalsIgnoreCase(name) ? lastValue : null;
  }

  /** Every value of {@code name}, in order. */
  public List<String> all(String name) {
    List<String> values = null;
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equalsIgnoreCase(name)) {
        if (values == null) {
          values = new ArrayList<>(2);
        }
        values.add(pairs[i + 1]);
      }
    }
    if (lastName != null && lastName.equalsIgnoreCase(name)) {
      if (values == null) {
        return List.of(lastValue);
      }
      values.add(lastValue);
    }
    return values == null ? List.of() : Collections.unmodifiableList(values);
  }

  /** Whether {@code name} is present. */
  public boolean contains(String name) {
    return get(name) != null;
  }

  /** These headers with {@code name} set to {@code value}, replacing any earlier values. */
  public Headers with(String name, String value) {
    String n = normalizeName(name);
    if (value == null) {
      // Not Checks.notNull: its message would be concatenated on every call (request paths set
      // headers per call).
      throw new IllegalArgumentException("header value of " + n + " must not be null");
    }
    return replaced(n, value);
  }

  /**
   * {@link #with(String, String)} for a name validated once ({@link Name#of}): the same headers,
   * without checking the name again. For request paths that set the same header on every call.
   * (Not an overload of {@code with}: {@code with(null, v)} must keep compiling.)
   */
  public Headers withKnown(Name name, String value) {
    if (name == null) {
      throw new IllegalArgumentException("header name must not be null");
    }
    if (value == null) {
      throw new IllegalArgumentException("header value of " + name.value + " must not be null");
    }
    return replaced(name.value, value);
  }

  /** These headers with the lower-case name {@code n} set to {@code value}. */
  private Headers replaced(String n, String value) {
    int length = pairs.length;
    int kept = length;
    for (int i = 0; i < length; i += 2) {
      if (pairs[i].equals(n)) {
        kept -= 2;
      }
    }
    // The usual case, a name not present yet, shares the array: nothing is copied. One
    // allocation site for both cases, so that C2 can scalar-replace the result when it does not
    // escape (an outgoing request an in-process transport consumes).
    String[] base = kept == length && (lastName == null || lastName.equals(n)) ? pairs : without(n, kept);
    return new Headers(base, n, value);
  }

  /** Every pair but those named {@code n} ({@code kept} strings of {@link #pairs}), then the last. */
  private String[] without(String n, int kept) {
    boolean keepLast = lastName != null && !lastName.equals(n);
    String[] copy = new String[kept + (keepLast ? 2 : 0)];
    if (kept == pairs.length) {
      System.arraycopy(pairs, 0, copy, 0, kept); // one bulk copy (no per-element store barriers)
    } else {
      int j = 0;
      for (int i = 0; i < pairs.length; i += 2) {
        if (!pairs[i].equals(n)) {
          copy[j++] = pairs[i];
          copy[j++] = pairs[i + 1];
        }
      }
    }
    if (keepLast) {
      copy[kept] = lastName;
      copy[kept + 1] = lastValue;
    }
    return copy;
  }

  /**
   * These headers with every pair in the array (none kept aside): built requests hold their
   * headers this way, so the first header a request path adds shares the array.
   */
  Headers compacted() {
    if (lastName == null) {
      return this;
    }
    String[] all = Arrays.copyOf(pairs, pairs.length + 2);
    all[pairs.length] = lastName;
    all[pairs.length + 1] = lastValue;
    return new Headers(all);
  }

  /** Number of name/value pairs. */
  public int size() {
    return (pairs.length >> 1) + (lastName == null ? 0 : 1);
  }

  /** Whether there is no header. */
  public boolean isEmpty() {
    return pairs.length == 0 && lastName == null;
  }

  /**
   * The lower-case name at position {@code index}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
   */
  public String name(int index) {
    int at = index * 2;
    if (at >= 0 && at < pairs.length) {
      return pairs[at];
    }
    checkLast(index);
    return lastName;
  }

  /**
   * The value at position {@code index}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
   */
  public String value(int index) {
    int at = index * 2;
    if (at >= 0 && at < pairs.length) {
      return pairs[at + 1];
    }
    checkLast(index);
    return lastValue;
  }

  private void checkLast(int index) {
    if (lastName == null || index != pairs.length >> 1) {
      throw new IndexOutOfBoundsException("header index " + index + " out of bounds for " + size() + " headers");
    }
  }

  /** Calls {@code action} with each name and value, in order. */
  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < pairs.length; i += 2) {
      action.accept(pairs[i], pairs[i + 1]);
    }
    if (lastName != null) {
      action.accept(lastName, lastValue);
    }
  }

  /** Equal when both hold the same names and values in the same order. */
  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof Headers h) || h.size() != size()) {
      return false;
    }
    for (int i = 0, n = size(); i < n; i++) {
      if (!name(i).equals(h.name(i)) || !value(i).equals(h.value(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 1; // as Arrays.hashCode over name0, value0, name1, ...
    for (int i = 0, n = size(); i < n; i++) {
      h = 31 * (31 * h + name(i).hashCode()) + value(i).hashCode();
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0, n = size(); i < n; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(name(i)).append('=').append(value(i));
    }
    return sb.append('}').toString();
  }

  static String normalizeName(String name) {
    // One pass over a valid name (request paths set headers per call); anything unusual takes
    // the checks in their original order, so the messages stay the same.
    boolean upperCase = false;
    int length = name == null ? 0 : name.length();
    for (int i = 0; i < length; i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c >= 127 || c == ':') {
        Checks.notBlank("header name", name);
        throw new IllegalArgumentException("header name contains an invalid character: \"" + name + "\"");
      }
      upperCase |= c >= 'A' && c <= 'Z';
    }
    if (length == 0) {
      Checks.notBlank("header name", name); // throws
    }
    return upperCase ? name.toLowerCase(Locale.ROOT) : name;
  }

  /**
   * A header name checked and lower-cased once, as {@link #with(String, String)} would on every
   * call. Immutable.
   */
  public static final class Name {
    private final String value;

    private Name(String value) {
      this.value = value;
    }

    /**
     * The name {@code name}, validated and in lower case.
     *
     * @throws IllegalArgumentException when {@code name} is blank or holds a character a header
     *     name cannot have (the message {@link Headers#with(String, String)} would give)
     */
    public static Name of(String name) {
      return new Name(normalizeName(name));
    }

    /** The lower-case name. */
    public String value() {
      return value;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Name n && n.value.equals(value);
    }

    @Override
    public int hashCode() {
      return value.hashCode();
    }

    @Override
    public String toString() {
      return value;
    }
  }

  /** Collects headers; not thread-safe. */
  public static final class Builder {
    private final List<String> pairs = new ArrayList<>();

    private Builder() {}

    /** Adds a value, keeping earlier values of the same name. */
    public Builder add(String name, String value) {
      String n = normalizeName(name);
      pairs.add(n);
      pairs.add(Checks.notNull("header value of " + n, value));
      return this;
    }

    /** Sets a value, removing earlier values of the same name. */
    public Builder set(String name, String value) {
      remove(name);
      return add(name, value);
    }

    /** Removes every value of {@code name}. */
    public Builder remove(String name) {
      String n = normalizeName(name);
      for (int i = pairs.size() - 2; i >= 0; i -= 2) {
        if (pairs.get(i).equals(n)) {
          pairs.remove(i + 1);
          pairs.remove(i);
        }
      }
      return this;
    }

    /** The immutable headers. */
    public Headers build() {
      return pairs.isEmpty() ? EMPTY : new Headers(pairs.toArray(NONE));
    }
  }
}

package io.orchestra.saga.internal;

import io.orchestra.core.internal.JsonStrings;

/**
 * The little JSON writing the journal's own formats need (snapshots, the start header): appending
 * string literals and enum names to a {@link StringBuilder}. Written by hand because these are written on the
 * hot path (a snapshot every few steps, a header per saga) and Jackson's data binding costs
 * several times more per call, in time and garbage, than the text itself. The output is plain
 * JSON that Jackson reads back. Not public API.
 */
final class JsonText {
  private JsonText() {}

  /** Appends {@code s} as a JSON string literal, or {@code null}. */
  static StringBuilder string(StringBuilder b, String s) {
    return JsonStrings.append(b, s);
  }

  /** Appends an enum constant's name as a string literal, or {@code null}. */
  static StringBuilder name(StringBuilder b, Enum<?> value) {
    return value == null ? b.append("null") : b.append('"').append(value.name()).append('"');
  }
}

package io.orchestra.scheduler.internal;

import java.util.Locale;

/** Number formatting for messages. Not instantiable. */
final class Fmt {
  private Fmt() {}

  /** An integer without decimals, otherwise at most three decimals without trailing zeros. */
  static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, "%.3f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}

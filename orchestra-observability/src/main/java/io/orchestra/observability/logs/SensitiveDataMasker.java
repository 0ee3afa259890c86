package io.orchestra.observability.logs;

import io.orchestra.observability.internal.Masker;

/**
 * The masking the engine applies to every log line, for applications that want to mask text
 * before it leaves them by other routes. See {@link #mask(String)} for what is recognized.
 * Stateless and thread-safe.
 */
public final class SensitiveDataMasker {
  private SensitiveDataMasker() {}

  /**
   * {@code text} with e-mail addresses ({@code [email]}), card numbers that pass the Luhn check
   * ({@code [card]}; epoch timestamps in milli-, micro- or nanoseconds are not cards), values of
   * sensitive keys such as {@code password=}, {@code password = }, {@code "secret":},
   * {@code api_key=}, {@code Authorization:} ({@code [secret]}), Bearer/Basic credentials ({@code
   * [token]}), JWTs ({@code [jwt]}) and well-known API key shapes ({@code [api_key]}) replaced.
   * Returns the same instance when nothing matched; null stays null.
   */
  public static String mask(String text) {
    return Masker.mask(text);
  }

  /** Whether a field named {@code key} holds a secret (its whole value is masked). */
  public static boolean isSensitiveKey(String key) {
    return Masker.isSensitiveKey(key);
  }
}

package io.orchestra.core.transport;

import io.orchestra.core.internal.Checks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * An outgoing request: method, path with query, headers, body and an optional timeout. Immutable
 * and thread-safe; {@link #toBuilder()} derives a modified copy.
 *
 * <p>The body array is not copied: treat it as frozen once handed to the builder.
 */
public final class Request {
  private static final byte[] EMPTY_BODY = new byte[0];

  private final String method;
  private final String path;
  private final Headers headers;
  private final byte[] body;
  private final long timeoutNanos;

  private Request(Builder b) {
    // Compacted once here, so that the header each attempt adds (traceparent) copies nothing.
    this(b.method, b.path, b.headers.compacted(), b.body, b.timeoutNanos);
  }

  private Request(String method, String path, Headers headers, byte[] body, long timeoutNanos) {
    this.method = method;
    this.path = path;
    this.headers = headers;
    this.body = body;
    this.timeoutNanos = timeoutNanos;
  }

  /** A builder for {@code method} on {@code path} ({@code /orders?id=1}). */
  public static Builder builder(String method, String path) {
    return new Builder().method(method).path(path);
  }

  /** A {@code GET} of {@code path} with no headers. */
  public static Request get(String path) {
    return builder("GET", path).build();
  }

  /** A builder with the values of this request. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.method = method;
    b.path = path;
    b.headers = headers;
    b.body = body;
    b.timeoutNanos = timeoutNanos;
    return b;
  }

  /** The request method in upper case, such as {@code GET}. */
  public String method() {
    return method;
  }

  /** The path and query, starting with {@code /}. */
  public String path() {
    return path;
  }

  /** The header fields. */
  public Headers headers() {
    return headers;
  }

  /** The body bytes (empty, never null). Do not modify the returned array. */
  public byte[] body() {
    return body;
  }

  /** The time allowed for this request in nanoseconds, or 0 to use the transport's default. */
  public long timeoutNanos() {
    return timeoutNanos;
  }

  /** This request with {@code name} set to {@code value}. */
  public Request withHeader(String name, String value) {
    Builder b = toBuilder();
    b.headers = headers.with(name, value);
    return b.build();
  }

  /**
   * This request with other headers and timeout (nanoseconds, 0 = transport default): the same as
   * {@code toBuilder().headers(headers).timeoutNanos(timeoutNanos).build()} without the builder,
   * for request paths that derive the request of each attempt.
   */
  public Request withHeadersAndTimeout(Headers headers, long timeoutNanos) {
    Checks.notNull("request.headers", headers);
    Checks.nonNegative("request.timeoutNanos", timeoutNanos);
    return new Request(method, path, headers, body, timeoutNanos);
  }

  /** This request with a different timeout (nanoseconds, 0 = transport default). */
  public Request withTimeoutNanos(long nanos) {
    if (nanos == timeoutNanos) {
      return this;
    }
    return toBuilder().timeoutNanos(nanos).build();
  }

  @Override
  public String toString() {
    return method + " " + path + " " + headers + (body.length > 0 ? " (" + body.length + " bytes)" : "");
  }

  /** Builds a {@link Request}; not thread-safe. */
  public static final class Builder {
    private String method = "GET";
    private String path = "/";
    private Headers headers = Headers.empty();
    private byte[] body = EMPTY_BODY;
    private long timeoutNanos;

    private Builder() {}

    /** The method, such as {@code GET}; upper-cased. */
    public Builder method(String method) {
      Checks.notBlank("request.method", method);
      // Checked before upper-casing: toUpperCase turns some non-ASCII letters into ASCII ones.
      for (int i = 0; i < method.length(); i++) {
        char c = method.charAt(i);
        if (!isTokenChar(c)) {
          throw new IllegalArgumentException(
              "request.method is not a token (letters, digits and !#$%&'*+-.^_`|~): \"" + method + "\"");
        }
      }
      this.method = method.toUpperCase(Locale.ROOT);
      return this;
    }

    /** RFC 9110 tchar: a method with a separator, such as {@code GET(}, would corrupt the request line. */
    private static boolean isTokenChar(char c) {
      return (c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** The path with an optional query; must start with {@code /}. */
    public Builder path(String path) {
      Checks.notNull("request.path", path);
      Checks.argument(path.startsWith("/"), "request.path must start with '/', was \"%s\"", path);
      this.path = path;
      return this;
    }

    /** Replaces all headers. */
    public Builder headers(Headers headers) {
      this.headers = Checks.notNull("request.headers", headers);
      return this;
    }

    /** Sets one header, replacing earlier values of the same name. */
    public Builder header(String name, String value) {
      this.headers = headers.with(name, value);
      return this;
    }

    /** The body; the array is not copied. */
    public Builder body(byte[] body) {
      this.body = Checks.notNull("request.body", body);
      return this;
    }

    /** The body as UTF-8 text. */
    public Builder body(String text) {
      return body(Checks.notNull("request.body", text).getBytes(StandardCharsets.UTF_8));
    }

    /** The time allowed for the request; {@code null} or zero means the transport's default. */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isZero()) {
        this.timeoutNanos = 0;
        return this;
      }
      return timeoutNanos(Checks.positive("request.timeout", timeout).toNanos());
    }

    /** The time allowed in nanoseconds; 0 means the transport's default. */
    public Builder timeoutNanos(long nanos) {
      this.timeoutNanos = Checks.nonNegative("request.timeoutNanos", nanos);
      return this;
    }

    /** The immutable request. */
    public Request build() {
      return new Request(this);
    }
  }
}

package io.orchestra.core.transport;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestra.core.internal.Checks;
import java.net.URI;
import java.util.Locale;

/**
 * Where a request goes: scheme ({@code http} or {@code https}), host and port. Immutable.
 *
 * @param scheme {@code http} or {@code https}
 * @param host a host name or IP literal (IPv6 without brackets)
 * @param port 1..65535
 */
public record Endpoint(String scheme, String host, int port) {

  /** Validates and normalizes the scheme to lower case. */
  @JsonCreator
  public Endpoint(
      @JsonProperty("scheme") String scheme,
      @JsonProperty("host") String host,
      @JsonProperty("port") int port) {
    String s = Checks.notBlank("endpoint.scheme", scheme).toLowerCase(Locale.ROOT);
    Checks.argument(
        s.equals("http") || s.equals("https"),
        "endpoint.scheme must be http or https, was \"%s\"",
        scheme);
    this.scheme = s;
    this.host = Checks.notBlank("endpoint.host", host);
    this.port = Checks.port("endpoint.port", port);
  }

  /** An {@code http} endpoint. */
  public static Endpoint http(String host, int port) {
    return new Endpoint("http", host, port);
  }

  /** An {@code https} endpoint. */
  public static Endpoint https(String host, int port) {
    return new Endpoint("https", host, port);
  }

  /** Whether requests to this endpoint use TLS. */
  public boolean secure() {
    return scheme.equals("https");
  }

  /** {@code scheme://host:port} with IPv6 literals in brackets. */
  public String authority() {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return scheme + "://" + h + ":" + port;
  }

  /** The URI of {@code pathAndQuery} (which must start with {@code /}) on this endpoint. */
  public URI resolve(String pathAndQuery) {
    return URI.create(authority() + pathAndQuery);
  }

  @Override
  public String toString() {
    return authority();
  }
}

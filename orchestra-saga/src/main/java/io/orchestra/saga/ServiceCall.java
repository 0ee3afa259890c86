package io.orchestra.saga;

import io.orchestra.core.internal.Checks;
import io.orchestra.saga.internal.Templates;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A step (or compensation) that calls a service by name through the orchestrator's {@link
 * io.orchestra.core.transport.ServiceClient}: the seed's {@code serviceName}, {@code method},
 * {@code endpoint} and {@code parameters}. Immutable and thread-safe.
 *
 * <p>Templates take {@code ${...}} placeholders resolved against the saga data as JSON: {@code
 * ${orderId}}, {@code ${customer.id}}, {@code ${items.0.sku}}, plus {@code ${saga.id}}, {@code
 * ${saga.step}} and {@code ${saga.idempotencyKey}}. In the path, query parameters and headers a
 * value is inserted as text (URL-encoded in path and query); in a JSON body template it is inserted
 * as a JSON value, so {@code {"amount": ${amount}, "id": ${orderId}}} stays valid JSON. A
 * placeholder without a value fails the step without retries.
 *
 * <p>A 2xx response succeeds; others fail the attempt with a {@link ServiceCallException} whose
 * status decides about retries. By default the response body is ignored; {@link
 * Builder#mergeResponse()} merges a JSON object response into the saga data.
 *
 * <pre>{@code
 * ServiceCall.post("payments", "/payments/${orderId}")
 *     .body("{\"amount\": ${total}, \"currency\": ${currency}}")
 *     .mergeResponseAt("payment")
 *     .build();
 * }</pre>
 */
public final class ServiceCall {

  /** What happens with the response body of a successful call. */
  public enum ResponseMapping {
    /** Ignored; the saga data stays as it was. */
    IGNORE,
    /** A JSON object body is merged field by field into the saga data. */
    MERGE,
    /** The JSON body is stored under one field of the saga data. */
    MERGE_AT
  }

  private final String service;
  private final String method;
  private final String path;
  private final Map<String, String> query;
  private final Map<String, String> headers;
  private final String bodyTemplate;
  private final boolean bodyFromData;
  private final ResponseMapping responseMapping;
  private final String responseField;

  private ServiceCall(Builder b) {
    this.service = b.service;
    this.method = b.method;
    this.path = b.path;
    this.query = Collections.unmodifiableMap(new LinkedHashMap<>(b.query));
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    this.bodyTemplate = b.bodyTemplate;
    this.bodyFromData = b.bodyFromData;
    this.responseMapping = b.responseMapping;
    this.responseField = b.responseField;
  }

  /** A call of {@code method} on {@code pathTemplate} of {@code service}. */
  public static Builder builder(String service, String method, String pathTemplate) {
    return new Builder(service, method, pathTemplate);
  }

  /** A {@code GET}. */
  public static Builder get(String service, String pathTemplate) {
    return builder(service, "GET", pathTemplate);
  }

  /** A {@code POST}. */
  public static Builder post(String service, String pathTemplate) {
    return builder(service, "POST", pathTemplate);
  }

  /** A {@code PUT}. */
  public static Builder put(String service, String pathTemplate) {
    return builder(service, "PUT", pathTemplate);
  }

  /** A {@code DELETE}. */
  public static Builder delete(String service, String pathTemplate) {
    return builder(service, "DELETE", pathTemplate);
  }

  /** The service name handed to the service client. */
  public String service() {
    return service;
  }

  /** The upper-case method. */
  public String method() {
    return method;
  }

  /** The path template. */
  public String path() {
    return path;
  }

  /** Query parameter templates by name, in order. */
  public Map<String, String> query() {
    return query;
  }

  /** Extra header templates by name. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The JSON body template, or null. */
  public String bodyTemplate() {
    return bodyTemplate;
  }

  /** Whether the whole saga data is sent as the JSON body. */
  public boolean bodyFromData() {
    return bodyFromData;
  }

  /** What happens with the response body. */
  public ResponseMapping responseMapping() {
    return responseMapping;
  }

  /** The data field that receives the response for {@link ResponseMapping#MERGE_AT}, or null. */
  public String responseField() {
    return responseField;
  }

  @Override
  public String toString() {
    return "ServiceCall[" + service + " " + method + " " + path + "]";
  }

  /** Builds a {@link ServiceCall}; not thread-safe. */
  public static final class Builder {
    private final String service;
    private final String method;
    private final String path;
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String bodyTemplate;
    private boolean bodyFromData;
    private ResponseMapping responseMapping = ResponseMapping.IGNORE;
    private String responseField;

    private Builder(String service, String method, String path) {
      this.service = Checks.notBlank("serviceCall.service", service);
      this.method = Checks.notBlank("serviceCall.method", method).toUpperCase(Locale.ROOT);
      Checks.notNull("serviceCall.path", path);
      Checks.argument(
          path.startsWith("/"), "serviceCall.path must start with '/', was \"%s\"", path);
      Templates.validate("serviceCall.path", path);
      this.path = path;
    }

    /** Adds a query parameter whose value is a template. */
    public Builder param(String name, String valueTemplate) {
      Checks.notBlank("serviceCall.param name", name);
      Checks.notNull("serviceCall.param " + name, valueTemplate);
      Templates.validate("serviceCall.param " + name, valueTemplate);
      query.put(name, valueTemplate);
      return this;
    }

    /** Adds a header whose value is a template. */
    public Builder header(String name, String valueTemplate) {
      Checks.notBlank("serviceCall.header name", name);
      Checks.notNull("serviceCall.header " + name, valueTemplate);
      Templates.validate("serviceCall.header " + name, valueTemplate);
      headers.put(name, valueTemplate);
      return this;
    }

    /** A JSON body template; placeholders become JSON values. */
    public Builder body(String jsonTemplate) {
      Checks.notNull("serviceCall.body", jsonTemplate);
      Templates.validate("serviceCall.body", jsonTemplate);
      this.bodyTemplate = jsonTemplate;
      this.bodyFromData = false;
      return this;
    }

    /** Sends the whole saga data as the JSON body. */
    public Builder bodyFromData() {
      this.bodyFromData = true;
      this.bodyTemplate = null;
      return this;
    }

    /** Merges a JSON object response into the saga data, field by field. */
    public Builder mergeResponse() {
      this.responseMapping = ResponseMapping.MERGE;
      this.responseField = null;
      return this;
    }

    /** Stores the JSON response under {@code field} of the saga data. */
    public Builder mergeResponseAt(String field) {
      this.responseField = Checks.notBlank("serviceCall.responseField", field);
      this.responseMapping = ResponseMapping.MERGE_AT;
      return this;
    }

    /** The call. */
    public ServiceCall build() {
      return new ServiceCall(this);
    }
  }
}

package io.orchestra.core.instance;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.orchestra.core.internal.Checks;
import io.orchestra.core.transport.Endpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One running copy of a service: where it listens and what describes it. Immutable and
 * thread-safe; JSON-serializable.
 *
 * <p>{@code labels} are for selection (subsets such as {@code version=v2}, topology); {@code
 * metadata} is free-form information that no algorithm matches on. {@code weight} is a relative
 * share of traffic for weighted balancers; 0 drains the instance.
 */
@JsonDeserialize(builder = ServiceInstance.Builder.class)
public final class ServiceInstance {
  private final String id;
  private final String serviceName;
  private final String host;
  private final int port;
  private final boolean secure;
  private final String zone;
  private final String region;
  private final Map<String, String> labels;
  private final Map<String, String> metadata;
  private final int weight;
  private final Endpoint endpoint;

  private ServiceInstance(Builder b) {
    this.id = Checks.notBlank("instance.id", b.id);
    this.serviceName = Checks.notBlank("instance.serviceName", b.serviceName);
    this.host = Checks.notBlank("instance.host", b.host);
    this.port = Checks.port("instance.port", b.port);
    this.secure = b.secure;
    this.zone = b.zone;
    this.region = b.region;
    this.labels = copy("instance.labels", b.labels);
    this.metadata = copy("instance.metadata", b.metadata);
    this.weight = Checks.nonNegative("instance.weight", b.weight);
    this.endpoint = new Endpoint(secure ? "https" : "http", host, port);
  }

  /** A builder for an instance with the given id and service name. */
  public static Builder builder(String id, String serviceName) {
    return new Builder().id(id).serviceName(serviceName);
  }

  /** A builder for an instance; set at least id, service name, host and port. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder with the values of this instance. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.serviceName = serviceName;
    b.host = host;
    b.port = port;
    b.secure = secure;
    b.zone = zone;
    b.region = region;
    b.labels.putAll(labels);
    b.metadata.putAll(metadata);
    b.weight = weight;
    return b;
  }

  /** Unique id of this instance. */
  @JsonProperty
  public String id() {
    return id;
  }

  /** The service this instance belongs to. */
  @JsonProperty
  public String serviceName() {
    return serviceName;
  }

  /** Host name or IP address. */
  @JsonProperty
  public String host() {
    return host;
  }

  /** Port, 1..65535. */
  @JsonProperty
  public int port() {
    return port;
  }

  /** Whether the instance speaks TLS. */
  @JsonProperty
  public boolean secure() {
    return secure;
  }

  /** Availability zone, or {@code null} when unknown. */
  @JsonProperty
  public String zone() {
    return zone;
  }

  /** Region, or {@code null} when unknown. */
  @JsonProperty
  public String region() {
    return region;
  }

  /** Selection labels (immutable). */
  @JsonProperty
  public Map<String, String> labels() {
    return labels;
  }

  /** The value of a label, or {@code null}. */
  public String label(String key) {
    return labels.get(key);
  }

  /** Free-form metadata (immutable). */
  @JsonProperty
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Relative traffic weight, {@code >= 0}; default 1. */
  @JsonProperty
  public int weight() {
    return weight;
  }

  /** Where to send requests; computed once. */
  @JsonIgnore
  public Endpoint endpoint() {
    return endpoint;
  }

  /** {@code host:port}, the key used to recognise the same instance reported under two ids. */
  @JsonIgnore
  public String address() {
    return host + ":" + port;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ServiceInstance that)) {
      return false;
    }
    return port == that.port
        && secure == that.secure
        && weight == that.weight
        && id.equals(that.id)
        && serviceName.equals(that.serviceName)
        && host.equals(that.host)
        && Objects.equals(zone, that.zone)
        && Objects.equals(region, that.region)
        && labels.equals(that.labels)
        && metadata.equals(that.metadata);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, serviceName, host, port);
  }

  @Override
  public String toString() {
    return serviceName + "/" + id + "@" + host + ":" + port;
  }

  private static Map<String, String> copy(String field, Map<String, String> map) {
    Map<String, String> copy = new LinkedHashMap<>();
    map.forEach(
        (k, v) -> {
          Checks.notBlank(field + " key", k);
          copy.put(k, Checks.notNull(field + "[" + k + "]", v));
        });
    return copy.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(copy);
  }

  /** Builds a {@link ServiceInstance}; not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private String id;
    private String serviceName;
    private String host;
    private int port;
    private boolean secure;
    private String zone;
    private String region;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private int weight = 1;

    private Builder() {}

    /** Unique instance id (required). */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** Service name (required). */
    public Builder serviceName(String serviceName) {
      this.serviceName = serviceName;
      return this;
    }

    /** Host name or IP (required). */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Port 1..65535 (required). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Host and port together. */
    public Builder address(String host, int port) {
      return host(host).port(port);
    }

    /** Whether the instance speaks TLS; default false. */
    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    /** Availability zone. */
    public Builder zone(String zone) {
      this.zone = zone;
      return this;
    }

    /** Region. */
    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** Adds one label. */
    public Builder label(String key, String value) {
      this.labels.put(key, value);
      return this;
    }

    /** Replaces all labels. */
    public Builder labels(Map<String, String> labels) {
      this.labels.clear();
      if (labels != null) {
        this.labels.putAll(labels);
      }
      return this;
    }

    /** Adds one metadata entry. */
    public Builder metadata(String key, String value) {
      this.metadata.put(key, value);
      return this;
    }

    /** Replaces all metadata. */
    public Builder metadata(Map<String, String> metadata) {
      this.metadata.clear();
      if (metadata != null) {
        this.metadata.putAll(metadata);
      }
      return this;
    }

    /** Relative weight {@code >= 0}; default 1. */
    public Builder weight(int weight) {
      this.weight = weight;
      return this;
    }

    /**
     * The immutable instance.
     *
     * @throws IllegalArgumentException naming the first invalid field
     */
    public ServiceInstance build() {
      return new ServiceInstance(this);
    }
  }
}

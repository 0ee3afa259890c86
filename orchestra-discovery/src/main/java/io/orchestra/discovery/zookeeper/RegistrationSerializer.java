package io.orchestra.discovery.zookeeper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.discovery.HealthCheck;
import io.orchestra.discovery.Registration;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.curator.x.discovery.ServiceType;
import org.apache.curator.x.discovery.details.InstanceSerializer;

/**
 * Stores a {@link Registration} in a znode as JSON: Curator's own fields ({@code name}, {@code
 * id}, {@code address}, {@code port}, {@code registrationTimeUTC}, {@code serviceType}) so that
 * other Curator clients can read the node, and the full registration as the payload. Thread-safe.
 */
final class RegistrationSerializer implements InstanceSerializer<Registration> {
  private final ObjectMapper mapper = ConfigLoader.jsonMapper();

  @Override
  public byte[] serialize(org.apache.curator.x.discovery.ServiceInstance<Registration> node)
      throws Exception {
    Registration r = node.getPayload();
    ObjectNode root = mapper.createObjectNode();
    root.put("name", node.getName());
    root.put("id", node.getId());
    root.put("address", node.getAddress());
    root.put("port", node.getPort());
    root.put("registrationTimeUTC", node.getRegistrationTimeUTC());
    root.put("serviceType", node.getServiceType().name());
    ObjectNode payload = root.putObject("payload");
    payload.set("instance", mapper.valueToTree(r.instance()));
    if (r.healthCheck() != null) {
      ObjectNode hc = payload.putObject("healthCheck");
      hc.put("path", r.healthCheck().path());
      hc.put("interval", r.healthCheck().interval().toMillis());
      hc.put("timeout", r.healthCheck().timeout().toMillis());
      hc.put("method", r.healthCheck().method());
    }
    payload.put("registeredAt", r.registeredAt().toEpochMilli());
    return mapper.writeValueAsBytes(root);
  }

  @Override
  public org.apache.curator.x.discovery.ServiceInstance<Registration> deserialize(byte[] bytes)
      throws Exception {
    JsonNode root = mapper.readTree(new String(bytes, StandardCharsets.UTF_8));
    JsonNode payload = root.path("payload");
    ServiceInstance instance;
    if (payload.has("instance")) {
      instance = ConfigLoader.fromTree(payload.get("instance"), ServiceInstance.class);
    } else {
      // A node written by a plain Curator client: id, name, address and port are enough.
      instance =
          ServiceInstance.builder(root.path("id").asText(), root.path("name").asText())
              .address(root.path("address").asText(), root.path("port").asInt())
              .build();
    }
    HealthCheck hc =
        payload.has("healthCheck")
            ? ConfigLoader.fromTree(payload.get("healthCheck"), HealthCheck.class)
            : null;
    long millis = payload.has("registeredAt")
        ? payload.get("registeredAt").asLong()
        : root.path("registrationTimeUTC").asLong();
    Registration r = new Registration(instance, hc, Instant.ofEpochMilli(millis));
    ServiceType type = ServiceType.valueOf(root.path("serviceType").asText("DYNAMIC"));
    return new org.apache.curator.x.discovery.ServiceInstance<>(
        instance.serviceName(), instance.id(), instance.host(), instance.port(), null, r, millis, type, null);
  }
}

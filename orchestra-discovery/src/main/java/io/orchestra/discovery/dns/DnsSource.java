package io.orchestra.discovery.dns;

import io.orchestra.core.instance.ServiceInstance;
import io.orchestra.core.internal.Checks;
import io.orchestra.discovery.DiscoverySource;
import io.orchestra.discovery.Mechanism;
import io.orchestra.discovery.Registration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * Discovers instances in DNS through the JDK's DNS client (JNDI's {@code com.sun.jndi.dns}
 * provider). For service {@code orders} it asks for the SRV records of {@link Builder#srvName}
 * (default {@code _orders._tcp.<domain>}); the records with the lowest priority value become
 * instances on their port, weighted by their SRV weight, each target resolved to its A/AAAA
 * addresses. When the name has no SRV record it falls back to the A and AAAA records of {@link
 * Builder#hostName} (default {@code orders.<domain>}) on the default port. An SRV record whose
 * target is {@code "."} means the service is decidedly not available (RFC 2782): it is left out,
 * and when every record is like that the answer is empty, without the A/AAAA fallback.
 *
 * <p>Lookups block, so {@link #fetch} runs them on the configured executor. A name that does not
 * exist gives an empty answer; an unreachable or failing server fails the stage.
 *
 * <p>Thread-safe: each lookup opens its own JNDI context.
 */
public final class DnsSource implements DiscoverySource {
  private final Hashtable<String, String> env = new Hashtable<>();
  private final Function<String, String> srvName;
  private final Function<String, String> hostName;
  private final int defaultPort;
  private final boolean secure;
  private final Executor executor;

  private DnsSource(Builder b) {
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
    env.put(Context.PROVIDER_URL, b.server);
    env.put("com.sun.jndi.dns.timeout.initial", String.valueOf(Math.max(1, b.timeout.toMillis())));
    env.put("com.sun.jndi.dns.timeout.retries", String.valueOf(b.retries + 1)); // JNDI counts tries
    this.srvName = b.srvName;
    this.hostName = b.hostName;
    this.defaultPort = b.defaultPort;
    this.secure = b.secure;
    this.executor = b.executor;
  }

  /** A builder; by default the system's DNS servers and the domain {@code local}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Mechanism mechanism() {
    return Mechanism.DNS;
  }

  @Override
  public String name() {
    return "dns";
  }

  @Override
  public CompletionStage<List<Registration>> fetch(String serviceName) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return resolve(serviceName);
          } catch (NamingException e) {
            throw new CompletionException(
                new DnsLookupException("DNS lookup for service " + serviceName + " failed: " + e, e));
          }
        },
        executor);
  }

  /** Resolves {@code serviceName} now, on the calling thread. */
  List<Registration> resolve(String serviceName) throws NamingException {
    DirContext ctx = new InitialDirContext(env);
    try {
      List<String> srvTexts = values(ctx, srvName.apply(serviceName), "SRV");
      List<Registration> out = new ArrayList<>();
      if (!srvTexts.isEmpty()) {
        List<SrvRecord> srv = srv(srvTexts);
        if (srv.isEmpty()) {
          return out; // only "." targets: RFC 2782's "decidedly not available", so no A/AAAA fallback
        }
        int best = Integer.MAX_VALUE;
        for (SrvRecord r : srv) {
          best = Math.min(best, r.priority());
        }
        for (SrvRecord r : srv) {
          if (r.priority() != best) {
            continue; // RFC 2782: higher priority values are only for when these are all gone
          }
          List<String> addresses = addresses(ctx, r.target());
          if (addresses.isEmpty()) {
            addresses = List.of(r.target()); // let the transport resolve it
          }
          for (String address : addresses) {
            out.add(registration(serviceName, address, r.port(), Math.max(1, r.weight()), r));
          }
        }
        return out;
      }
      for (String address : addresses(ctx, hostName.apply(serviceName))) {
        out.add(registration(serviceName, address, defaultPort, 1, null));
      }
      return out;
    } finally {
      ctx.close();
    }
  }

  private Registration registration(String service, String address, int port, int weight, SrvRecord r) {
    ServiceInstance.Builder b =
        ServiceInstance.builder("dns:" + address + ":" + port, service)
            .address(address, port)
            .secure(secure)
            .weight(weight);
    if (r != null) {
      b.metadata("dns.target", r.target()).metadata("dns.priority", String.valueOf(r.priority()));
    }
    return Registration.of(b.build(), Instant.EPOCH);
  }

  /** Parses SRV texts, leaving out records whose target is {@code "."} (no service there). */
  private static List<SrvRecord> srv(List<String> texts) {
    List<SrvRecord> out = new ArrayList<>();
    for (String value : texts) {
      String[] parts = value.trim().split("\\s+");
      if (parts.length == 4 && parts[3].equals(".")) {
        continue;
      }
      out.add(SrvRecord.parse(value));
    }
    return out;
  }

  /** A then AAAA addresses of {@code name}, asked separately (many servers refuse ANY queries). */
  private static List<String> addresses(DirContext ctx, String name) throws NamingException {
    List<String> out = new ArrayList<>(values(ctx, name, "A"));
    out.addAll(values(ctx, name, "AAAA"));
    return out;
  }

  private static List<String> values(DirContext ctx, String name, String type) throws NamingException {
    Attributes attrs;
    try {
      attrs = ctx.getAttributes(name, new String[] {type});
    } catch (NameNotFoundException e) {
      return List.of();
    }
    Attribute attr = attrs.get(type);
    if (attr == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    NamingEnumeration<?> all = attr.getAll();
    while (all.hasMore()) {
      out.add(String.valueOf(all.next()));
    }
    return out;
  }

  /** Builds a {@link DnsSource}; not thread-safe. */
  public static final class Builder {
    private String server = "dns:";
    private String domain = "local";
    private Function<String, String> srvName;
    private Function<String, String> hostName;
    private int defaultPort = 80;
    private boolean secure;
    private Duration timeout = Duration.ofSeconds(1);
    private int retries = 2;
    private Executor executor = ForkJoinPool.commonPool();

    private Builder() {}

    /**
     * The DNS server as a JNDI URL, such as {@code dns://10.0.0.2} or {@code dns://127.0.0.1:5353};
     * default {@code dns:} (the system's configured servers).
     */
    public Builder server(String server) {
      Checks.notBlank("dns.server", server);
      Checks.argument(server.startsWith("dns:"), "dns.server must start with \"dns:\", was \"%s\"", server);
      this.server = server;
      return this;
    }

    /** The domain appended to service names by the default naming; default {@code local}. */
    public Builder domain(String domain) {
      this.domain = Checks.notBlank("dns.domain", domain);
      return this;
    }

    /** How a service name becomes an SRV name; default {@code _<service>._tcp.<domain>}. */
    public Builder srvName(Function<String, String> srvName) {
      this.srvName = Checks.notNull("dns.srvName", srvName);
      return this;
    }

    /** How a service name becomes a host name for A/AAAA; default {@code <service>.<domain>}. */
    public Builder hostName(Function<String, String> hostName) {
      this.hostName = Checks.notNull("dns.hostName", hostName);
      return this;
    }

    /** Port of instances found through A/AAAA records; default 80. */
    public Builder defaultPort(int port) {
      this.defaultPort = Checks.port("dns.defaultPort", port);
      return this;
    }

    /** Whether DNS-discovered instances speak TLS; default false. */
    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    /** The JDK client's first-try timeout (doubled on each retry); default 1 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = Checks.positive("dns.timeout", timeout);
      return this;
    }

    /** Retries per query after the first try; default 2. */
    public Builder retries(int retries) {
      this.retries = Checks.inRange("dns.retries", retries, 0, 10);
      return this;
    }

    /** Where blocking lookups run; default the common pool. */
    public Builder executor(Executor executor) {
      this.executor = Checks.notNull("dns.executor", executor);
      return this;
    }

    /** The source. */
    public DnsSource build() {
      String d = domain;
      if (srvName == null) {
        srvName = s -> "_" + s + "._tcp." + d;
      }
      if (hostName == null) {
        hostName = s -> s + "." + d;
      }
      return new DnsSource(this);
    }
  }
}

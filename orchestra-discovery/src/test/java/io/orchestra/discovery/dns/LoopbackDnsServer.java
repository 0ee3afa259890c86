package io.orchestra.discovery.dns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny authoritative DNS server on a loopback UDP port, for tests: it speaks the DNS wire format
 * (RFC 1035) for A, AAAA and SRV questions, answering from records the test sets. Unknown names
 * get NXDOMAIN; known names without records of the asked type get an empty NOERROR answer.
 */
final class LoopbackDnsServer implements AutoCloseable {
  static final int A = 1;
  static final int AAAA = 28;
  static final int SRV = 33;

  private record Rr(int type, byte[] rdata) {}

  private final DatagramSocket socket;
  private final Thread thread;
  private final Map<String, List<Rr>> records = new ConcurrentHashMap<>();
  final List<String> questions = new CopyOnWriteArrayList<>();
  final AtomicInteger dropNext = new AtomicInteger();

  LoopbackDnsServer() throws IOException {
    socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    thread = new Thread(this::serve, "loopback-dns");
    thread.setDaemon(true);
    thread.start();
  }

  /** The JNDI URL of this server. */
  String url() {
    return "dns://127.0.0.1:" + socket.getLocalPort();
  }

  void a(String name, String ipv4) throws IOException {
    add(name, A, InetAddress.getByName(ipv4).getAddress());
  }

  void aaaa(String name, String ipv6) throws IOException {
    add(name, AAAA, InetAddress.getByName(ipv6).getAddress());
  }

  void srv(String name, int priority, int weight, int port, String target) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(priority >> 8);
    out.write(priority);
    out.write(weight >> 8);
    out.write(weight);
    out.write(port >> 8);
    out.write(port);
    writeName(out, target);
    add(name, SRV, out.toByteArray());
  }

  void clear() {
    records.clear();
  }

  private void add(String name, int type, byte[] rdata) {
    records.computeIfAbsent(normalize(name), k -> new CopyOnWriteArrayList<>()).add(new Rr(type, rdata));
  }

  private static String normalize(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private void serve() {
    byte[] buf = new byte[512];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
        if (dropNext.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
          continue; // simulate a lost answer
        }
        byte[] reply = answer(ByteBuffer.wrap(p.getData(), 0, p.getLength()));
        socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
      } catch (SocketException closed) {
        return;
      } catch (IOException | RuntimeException e) {
        // a malformed query: ignore it, as a real server would
      }
    }
  }

  private byte[] answer(ByteBuffer q) {
    int id = q.getShort() & 0xffff;
    int flags = q.getShort() & 0xffff;
    q.getShort(); // qdcount (always 1 from the JDK)
    q.getShort();
    q.getShort();
    q.getShort();
    int questionStart = q.position();
    StringBuilder name = new StringBuilder();
    for (int len = q.get() & 0xff; len != 0; len = q.get() & 0xff) {
      byte[] label = new byte[len];
      q.get(label);
      if (name.length() > 0) {
        name.append('.');
      }
      name.append(new String(label, StandardCharsets.US_ASCII));
    }
    int qtype = q.getShort() & 0xffff;
    int qclass = q.getShort() & 0xffff;
    int questionEnd = q.position();
    String n = normalize(name.toString());
    questions.add(n + "/" + qtype);
    List<Rr> all = records.get(n);
    List<Rr> matching = new ArrayList<>();
    if (all != null) {
      for (Rr r : all) {
        if (r.type == qtype || qtype == 255) {
          matching.add(r);
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeShort(out, id);
    int rcode = all == null ? 3 : 0; // NXDOMAIN for unknown names
    writeShort(out, 0x8000 | 0x0400 | (flags & 0x0100) | rcode); // QR, AA, echo RD
    writeShort(out, 1);
    writeShort(out, matching.size());
    writeShort(out, 0);
    writeShort(out, 0);
    out.write(q.array(), q.arrayOffset() + questionStart, questionEnd - questionStart);
    for (Rr r : matching) {
      writeShort(out, 0xC000 | 12); // pointer to the question's name
      writeShort(out, r.type);
      writeShort(out, qclass);
      writeShort(out, 0);
      writeShort(out, 30); // TTL 30 s
      writeShort(out, r.rdata.length);
      out.write(r.rdata, 0, r.rdata.length);
    }
    return out.toByteArray();
  }

  private static void writeShort(ByteArrayOutputStream out, int v) {
    out.write((v >> 8) & 0xff);
    out.write(v & 0xff);
  }

  private static void writeName(ByteArrayOutputStream out, String name) {
    String n = normalize(name);
    if (n.isEmpty()) {
      out.write(0); // the root name "."
      return;
    }
    for (String label : n.split("\\.")) {
      byte[] b = label.getBytes(StandardCharsets.US_ASCII);
      out.write(b.length);
      out.write(b, 0, b.length);
    }
    out.write(0);
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(5_000);
  }
}

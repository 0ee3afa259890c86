package io.orchestra.examples.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The demo's command line: {@code --long} (more orders and traffic, with pauses to watch),
 * {@code --zookeeper host:port} (the ZooKeeper registry instead of the embedded one), {@code
 * --orders N}, {@code --out DIR} (where the journal and dashboard go; default the {@code
 * demo.output} system property, else {@code target/orchestra-demo}). Immutable.
 *
 * @param longRun whether to run the long version
 * @param zookeeper a ZooKeeper connect string, or null for the embedded registry
 * @param orders how many orders the saga phase places
 * @param canaryRequests requests sent to show the canary split
 * @param faultRequests requests sent while one inventory replica fails
 * @param pause pause between phases (zero in the short run)
 * @param output the output directory
 */
public record DemoOptions(
    boolean longRun,
    String zookeeper,
    int orders,
    int canaryRequests,
    int faultRequests,
    Duration pause,
    Path output) {

  /** The usage text. */
  public static final String USAGE =
      "usage: Demo [--long] [--zookeeper host:port] [--orders N] [--out DIR]\n"
          + "  with Maven: mvn -q -B -pl examples -am -DskipTests compile exec:java -Ddemo.args=\"--long\"";

  /** Parses {@code args}; throws {@link IllegalArgumentException} with the usage on bad input. */
  public static DemoOptions parse(String... args) {
    boolean longRun = false;
    String zookeeper = null;
    Integer orders = null;
    String out = System.getProperty("demo.output", "target/orchestra-demo");
    for (int i = 0; i < args.length; i++) {
      String a = args[i].toLowerCase(Locale.ROOT);
      switch (a) {
        case "--long" -> longRun = true;
        case "--zookeeper" -> zookeeper = value(args, ++i, a);
        case "--orders" -> orders = positive(value(args, ++i, a));
        case "--out" -> out = value(args, ++i, a);
        case "" -> { } // an empty demo.args property
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
      }
    }
    return new DemoOptions(
        longRun,
        zookeeper,
        orders != null ? orders : longRun ? 400 : 40,
        longRun ? 2_000 : 400,
        longRun ? 300 : 60,
        longRun ? Duration.ofSeconds(3) : Duration.ZERO,
        Path.of(out));
  }

  /** The short run with defaults, writing to {@code output}. */
  public static DemoOptions shortRun(Path output) {
    return parse("--out", output.toString());
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
    }
    return args[i];
  }

  private static int positive(String text) {
    try {
      int n = Integer.parseInt(text);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--orders must be a positive number, was " + text + "\n" + USAGE);
  }
}

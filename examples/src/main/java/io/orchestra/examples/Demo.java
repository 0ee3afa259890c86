package io.orchestra.examples;

import io.orchestra.examples.demo.DemoOptions;
import io.orchestra.examples.demo.DemoResult;
import io.orchestra.examples.demo.DemoRun;

/**
 * The README's first command: an end-to-end order-processing demo on real HTTP services on
 * loopback, with every Orchestra engine working together (see {@link DemoRun} for the phases).
 *
 * <pre>
 * mvn -q -B -pl examples -am -DskipTests compile exec:java
 * mvn -q -B -pl examples -am -DskipTests compile exec:java -Ddemo.args="--long"
 * mvn -q -B -pl examples -am -DskipTests compile exec:java -Ddemo.args="--zookeeper 127.0.0.1:2181"
 * </pre>
 *
 * <p>Exits 0 when the story happened (every check in {@link DemoResult#checks()} passed), 1 when
 * some part of it did not, 2 for bad arguments.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    DemoResult result = DemoRun.run(options, System.out);
    if (result.exitCode() != 0) {
      System.exit(result.exitCode());
    }
  }
}

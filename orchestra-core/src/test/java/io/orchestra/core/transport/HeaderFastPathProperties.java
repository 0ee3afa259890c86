package io.orchestra.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The request-path fast paths give what the validated paths give: {@code withKnown(Headers.Name, v)}
 * the same headers as {@code with(String, v)} (and both what the builder's {@code set} gives),
 * {@code Headers.Name.of} the same failures, and {@code Request.withHeadersAndTimeout} the same
 * request as the builder.
 */
class HeaderFastPathProperties {

  @Property(tries = 2000)
  void withName_equalsWithString_equalsBuilderSet(
      @ForAll("headers") Headers headers, @ForAll("names") String name, @ForAll("values") String value) {
    Headers validated = headers.with(name, value);
    assertThat(headers.withKnown(Headers.Name.of(name), value)).isEqualTo(validated);
    assertThat(validated).isEqualTo(headers.toBuilder().set(name, value).build());
    assertThat(validated.get(name)).isEqualTo(value);
    assertThat(validated.all(name)).containsExactly(value);
  }

  /**
   * Headers built by a run of {@code with} calls (which keep the last pair out of the shared
   * array) read exactly like the builder's: every accessor, equality both ways, hash code and text.
   */
  @Property(tries = 2000)
  void aRunOfWith_readsLikeTheBuilder(
      @ForAll("headers") Headers start, @ForAll("pairLists") List<List<String>> sets, @ForAll("names") String probe) {
    Headers running = start;
    Headers.Builder b = start.toBuilder();
    for (List<String> set : sets) {
      running = set.get(0).equals("traceparent") ? running.withKnown(Headers.Name.of("traceparent"), set.get(1)) : running.with(set.get(0), set.get(1));
      b.set(set.get(0), set.get(1));
    }
    Headers fast = running;
    Headers built = b.build();
    assertThat(fast).isEqualTo(built);
    assertThat(built).isEqualTo(fast);
    assertThat(fast.hashCode()).isEqualTo(built.hashCode());
    assertThat(fast.toString()).isEqualTo(built.toString());
    assertThat(fast.size()).isEqualTo(built.size());
    assertThat(fast.isEmpty()).isEqualTo(built.isEmpty());
    for (int i = 0; i < built.size(); i++) {
      assertThat(fast.name(i)).isEqualTo(built.name(i));
      assertThat(fast.value(i)).isEqualTo(built.value(i));
    }
    int size = built.size();
    assertThatThrownBy(() -> fast.name(size)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> fast.value(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(fast.get(probe)).isEqualTo(built.get(probe));
    assertThat(fast.all(probe)).isEqualTo(built.all(probe));
    assertThat(fast.contains(probe)).isEqualTo(built.contains(probe));
    List<String> seen = new java.util.ArrayList<>();
    fast.forEach((n, v) -> seen.add(n + "=" + v));
    List<String> expected = new java.util.ArrayList<>();
    built.forEach((n, v) -> expected.add(n + "=" + v));
    assertThat(seen).isEqualTo(expected);
    assertThat(fast.toBuilder().build()).isEqualTo(built);
    assertThat(fast.compacted()).isEqualTo(built);
    assertThat(Request.builder("GET", "/").headers(fast).build().headers()).isEqualTo(built);
  }

  @Property(tries = 1000)
  void nameOf_failsLikeWith(@ForAll("anyNames") String name) {
    Throwable viaWith = catchThrowable(() -> Headers.empty().with(name, "v"));
    Throwable viaName = catchThrowable(() -> Headers.Name.of(name));
    if (viaWith == null) {
      assertThat(viaName).isNull();
      assertThat(Headers.Name.of(name).value()).isEqualTo(Headers.empty().with(name, "v").name(0));
    } else {
      assertThat(viaName).isInstanceOf(viaWith.getClass()).hasMessage(viaWith.getMessage());
    }
  }

  @Property(tries = 200)
  void withName_nullValue_isRejectedNamingTheHeader(@ForAll("names") String name) {
    Throwable viaWith = catchThrowable(() -> Headers.empty().with(name, null));
    assertThatThrownBy(() -> Headers.empty().withKnown(Headers.Name.of(name), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(viaWith.getMessage());
    assertThatThrownBy(() -> Headers.empty().withKnown(null, "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header name must not be null");
  }

  @Property(tries = 1000)
  void withHeadersAndTimeout_equalsTheBuilder(
      @ForAll("headers") Headers before, @ForAll("headers") Headers after, @ForAll("timeouts") long timeout) {
    Request r = Request.builder("POST", "/a?b=c").headers(before).body("x").timeoutNanos(7).build();
    Request fast = r.withHeadersAndTimeout(after, timeout);
    Request built = r.toBuilder().headers(after).timeoutNanos(timeout).build();
    assertThat(fast.method()).isEqualTo(built.method());
    assertThat(fast.path()).isEqualTo(built.path());
    assertThat(fast.headers()).isEqualTo(built.headers());
    assertThat(fast.body()).isSameAs(built.body());
    assertThat(fast.timeoutNanos()).isEqualTo(built.timeoutNanos());
    assertThat(r.headers()).isEqualTo(before); // the original is unchanged
  }

  @Property(tries = 100)
  void withHeadersAndTimeout_rejectsWhatTheBuilderRejects(@ForAll("negativeTimeouts") long timeout) {
    Request r = Request.get("/");
    Throwable built = catchThrowable(() -> r.toBuilder().timeoutNanos(timeout).build());
    assertThatThrownBy(() -> r.withHeadersAndTimeout(Headers.empty(), timeout)).hasMessage(built.getMessage());
    Throwable noHeaders = catchThrowable(() -> r.toBuilder().headers(null));
    assertThatThrownBy(() -> r.withHeadersAndTimeout(null, 0)).hasMessage(noHeaders.getMessage());
  }

  @Provide
  Arbitrary<String> names() {
    // Few distinct names (mixed case) so that a name is often present already, sometimes twice.
    return Arbitraries.of("traceparent", "TraceParent", "tracestate", "x-user-id", "X-User-Id", "accept", "a", "Z");
  }

  @Provide
  Arbitrary<String> anyNames() {
    return Arbitraries.oneOf(
        names(),
        Arbitraries.strings().withChars(" :\t\u00e9aZ-_0").ofMinLength(0).ofMaxLength(6),
        Arbitraries.just(null));
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.strings().ascii().ofMaxLength(8);
  }

  @Provide
  Arbitrary<Headers> headers() {
    Arbitrary<List<String>> pair = Combinators.combine(names(), values()).as(List::of);
    return pair.list().ofMaxSize(6).map(pairs -> {
      Headers.Builder b = Headers.builder();
      pairs.forEach(p -> b.add(p.get(0), p.get(1))); // add: repeated names stay repeated
      return b.build();
    });
  }

  @Provide
  Arbitrary<List<List<String>>> pairLists() {
    Arbitrary<List<String>> pair = Combinators.combine(names(), values()).as(List::of);
    return pair.list().ofMaxSize(5);
  }

  @Provide
  Arbitrary<Long> timeouts() {
    return Arbitraries.longs().greaterOrEqual(0);
  }

  @Provide
  Arbitrary<Long> negativeTimeouts() {
    return Arbitraries.longs().lessOrEqual(-1);
  }
}

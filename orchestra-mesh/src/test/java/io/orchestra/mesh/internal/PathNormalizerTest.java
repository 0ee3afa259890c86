package io.orchestra.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Path normalization as a table: every row is a path-with-query and its normal form or rejection. */
class PathNormalizerTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // repeated slashes
        "//admin/x|/admin/x",
        "/admin//x|/admin/x",
        "///|/",
        "/a//|/a/",
        // dot segments (RFC 3986 5.2.4)
        "/./admin/x|/admin/x",
        "/orders/../admin/x|/admin/x",
        "/a/b/c/./../../g|/a/g",
        "/a/.|/a/",
        "/a/b/..|/a/",
        "/.|/",
        "/..|/",
        "/../../admin|/admin", // above the root clamps at the root
        "/a/..//b|/b",
        "/a//../b|/b", // slashes merged first: the empty segment is not one ".." can pop
        // percent-encoding (RFC 3986 6.2.2)
        "/%61dmin/x|/admin/x",
        "/%41%5a%30%39%2D%2E%5F%7E|/AZ09-._~",
        "/%2e%2e/admin|/admin", // an encoded dot segment is a dot segment
        "/a/%2E/b|/a/b",
        "/a%3ab|/a%3Ab", // reserved: kept encoded, hex upper-cased
        "/a%3Ab|/a%3Ab",
        "/caf%c3%a9|/caf%C3%A9", // non-ASCII octets stay encoded
        "/100%25|/100%25",
        // the query is kept byte for byte
        "//admin/x?next=//a/../b|/admin/x?next=//a/../b",
        "/a/./b?q=%61%2f%|/a/b?q=%61%2f%",
        "/%61?|/a?",
        "/.?x|/?x",
        "/a/..?x|/?x",
        "/a?b/../c|/a?b/../c",
        // already normal: unchanged
        "/|/",
        "/admin/x|/admin/x",
        "/orders/42?expand=items|/orders/42?expand=items",
        "/a/.b/..c/...|/a/.b/..c/...", // not dot segments
        "/a.|/a.",
        "/a%20b|/a%20b",
      })
  void normalizes(String path, String expected) {
    assertThat(PathNormalizer.normalize(path)).isEqualTo(expected);
    assertThat(PathNormalizer.ambiguity(path)).isNull();
  }

  @ParameterizedTest(name = "{0} rejected: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"', // the reasons quote '/'
      value = {
        "/admin%2Fx|encoded slash",
        "/admin%2fx|encoded slash",
        "/a/%2F/../admin|encoded slash",
        "/admin%5Cx|encoded backslash",
        "/admin%5cx|encoded backslash",
        "/admin\\x|backslash",
        "\\admin|does not start with '/'",
        "/a%|malformed percent-encoding",
        "/a%4|malformed percent-encoding",
        "/a%4?x|malformed percent-encoding",
        "/a%zz|malformed percent-encoding",
        "/a%%41|malformed percent-encoding",
        "admin/x|does not start with '/'",
      })
  void rejects(String path, String why) {
    assertThat(PathNormalizer.normalize(path)).isNull();
    assertThat(PathNormalizer.ambiguity(path)).isEqualTo(why);
    assertThat(PathNormalizer.rejectionDetail(path)).isEqualTo("path \"" + path + "\" is ambiguous: " + why);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "?a=1"})
  void rejects_anEmptyPath(String path) {
    assertThat(PathNormalizer.normalize(path)).isNull();
    assertThat(PathNormalizer.ambiguity(path)).isEqualTo("does not start with '/'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/orders/42", "/orders/42?expand=items&x=//y/../z", "/a%3Ab", "/a/.b", "/x?%zz"})
  void alreadyNormal_isTheSameInstance(String path) {
    String copy = new String(path); // not a literal: the identity check must not pass by interning
    assertThat(PathNormalizer.normalize(copy)).isSameAs(copy);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a?b%2Fc", "/a?b\\c", "/a?%"})
  void query_isNotChecked(String path) {
    assertThat(PathNormalizer.normalize(path)).isSameAs(path);
  }
}

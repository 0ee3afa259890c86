package io.orchestra.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestMethodTest {
  @ParameterizedTest
  @ValueSource(strings = {"get", "PATCH", "PROPFIND", "M-SEARCH", "X_CUSTOM.1", "A!#$%&'*+^`|~"})
  void tokens_areAcceptedAndUpperCased(String method) {
    assertThat(Request.builder(method, "/").build().method()).isEqualTo(method.toUpperCase(java.util.Locale.ROOT));
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET(", "PO,ST", "GET/1", "GE\"T", "G:T", "G;T", "G@T", "G{T}", "G[T]", "G=T", "G?T", "G\\T", "GET ", "G\u00c9T", "GE\u00dfT"})
  void separatorsAndNonAscii_areRefused_namingTheFieldAndValue(String method) {
    assertThatThrownBy(() -> Request.builder(method, "/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("request.method is not a token")
        .hasMessageContaining("\"" + method + "\"");
  }
}

package io.orchestra.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class JsonStringsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    String text = JsonStrings.append(new StringBuilder("x="), "a\"b\\c\nd\re\tf\u0001g\u001fé").toString();
    assertThat(text).isEqualTo("x=\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fé\"");
  }

  @Test
  void nullIsTheJsonNull() {
    assertThat(JsonStrings.append(new StringBuilder(), null).toString()).isEqualTo("null");
  }

  @Property(tries = 2000)
  void jacksonReadsBackTheSameString(@ForAll String s) throws Exception {
    String json = JsonStrings.append(new StringBuilder(), s).toString();
    assertThat(MAPPER.readValue(json, String.class)).isEqualTo(s);
  }
}

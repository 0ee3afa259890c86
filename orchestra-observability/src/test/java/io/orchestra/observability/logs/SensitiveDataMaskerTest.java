package io.orchestra.observability.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.observability.internal.Masker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SensitiveDataMaskerTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      email                  | contact jane.doe+shop@example.co.uk now            | contact [email] now
      email in JSON string   | "user":"bob@corp.io"                               | "user":"[email]"
      visa                   | paid with 4111111111111111 ok                      | paid with [card] ok
      visa with spaces       | card 4111 1111 1111 1111 used                      | card [card] used
      mastercard with dashes | card 5500-0000-0000-0004.                          | card [card].
      amex 4-6-5             | amex 3782 822463 10005 ok                          | amex [card] ok
      password kv            | login user=bob password=hunter2 ok                 | login user=bob password=[secret] ok
      db_password suffix     | db_password=s3cr3t&x=1                             | db_password=[secret]&x=1
      secret in JSON         | {"client_secret": "abc def", "id": 7}              | {"client_secret": "[secret]", "id": 7}
      api_key kv             | api_key=AbCdEf123456 region=eu                     | api_key=[secret] region=eu
      authorization header   | Authorization: Bearer abc.def.ghi123 next          | Authorization: [secret] next
      bearer token           | sent Bearer Zm9vYmFyYmF6cXV4 to api                | sent Bearer [token] to api
      basic credential       | header Basic dXNlcjpwYXNzd29yZA== end              | header Basic [token] end
      jwt                    | jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl x | jwt [jwt] x
      aws access key id      | key AKIAIOSFODNN7EXAMPLE used                      | key [api_key] used
      stripe secret key      | using sk_live_51Habcdefghijklmnop                  | using [api_key]
      github token           | token ghp_abcdefghijklmnopqrstuvwxyz0123456789     | token [api_key]
      slack token            | xoxb-123456789012-abcdefghijkl                     | [api_key]
      google api key         | k=AIzaSyA1234567890abcdefghijklmnopqrstuv          | k=[api_key]
      blanks around =        | login password = hunter2 ok                        | login password = [secret] ok
      pretty JSON key        | {"password" : "hunter2", "user" : "bob"}           | {"password" : "[secret]", "user" : "bob"}
      single-quoted key      | {'password': 'hunter2', 'user': 'bob'}             | {'password': '[secret]', 'user': 'bob'}
      uatp card, starts 1    | ticket paid with 135410014004955 ok                | ticket paid with [card] ok
      16 digits, starts 4    | paid 4000000000000002 ok                           | paid [card] ok
      secret at line end     | login password=hunter2                             | login password=[secret]
      card at line end       | paid with 4111111111111111                         | paid with [card]
      jwt at line end        | jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl | jwt [jwt]
      unterminated quote     | {"password":"hunter                                | {"password":"[secret]
      unicode around email   | für jane@example.com über                          | für [email] über
      unicode around card    | é4111111111111111é                                 | é[card]é
      unicode before key     | 日本 password=hunter2 日本                           | 日本 password=[secret] 日本
      unicode in secret      | password=пароль next                               | password=[secret] next
      several in one line    | a@b.io x token=t1 4111111111111111 a@b.io          | [email] x token=[secret] [card] [email]
      replacement is longer  | p:x,pwd=y,pwd=z                                    | p:x,pwd=[secret],pwd=[secret]
      """)
  void masksEachSensitiveKind(String kind, String input, String expected) {
    assertThat(SensitiveDataMasker.mask(input)).as(kind).isEqualTo(expected);
  }

  @ParameterizedTest(name = "kept: {0}")
  @ValueSource(strings = {
    "order 4111111111111112 shipped",           // 16 digits failing Luhn: an order id
    "order-id 1234567890123 ready",              // 13 digits failing Luhn
    "ts=1767225600009 level=info",               // epoch millis that pass Luhn
    "{\"ts\":1767225600000008}",               // epoch micros that pass Luhn
    "took until 1767225600000000009 ns",         // epoch nanos that pass Luhn
    "password check took 3 ms",                  // a sensitive word without a delimiter
    "invoice 12345678901234567890123 issued",    // too long for a card
    "at 2026-01-01T12:30:45Z took 250ms",        // timestamps and durations
    "user@localhost has no domain dot",          // not an address
    "the token bucket refilled 5 tokens",        // the word token without a value
    "tokens=5 passed=true",                      // keys that only look related
    "phone 555 1234 567",                        // digit groups far too short for a card
    "sku AKIA12 is short",                       // AWS prefix without a key
    "eyJ is not a jwt without dots",
    "plain text without anything sensitive",
    "01 02 03 2026-01-01 12:30 999 4 5",          // short digit runs, rejected before a full card scan
    "method=GET path=/a level=info ts=1 msg=x",  // keys whose last letters no secret name ends with
    "日本語のログ 12:00 über straße",                 // non-ASCII text around delimiters and digits
    "ſecret=x"                                   // a long s is not the ASCII key secret
  })
  void keepsLookAlikes(String input) {
    assertThat(SensitiveDataMasker.mask(input)).isSameAs(input);
  }

  @Test
  void aKeyLongerThan64CharactersIsNotASecretName() {
    String line = "x".repeat(57) + "_password=hunter2";
    assertThat(SensitiveDataMasker.mask(line)).isSameAs(line);
    String atTheLimit = "x".repeat(55) + "_password=hunter2";
    assertThat(SensitiveDataMasker.mask(atTheLimit)).endsWith("_password=[secret]");
  }

  @Test
  void linesLongerThanTheScanBufferAreMaskedWholeAndCleanOnesKept() {
    String filler = "ts=2026-01-01T12:00:00Z level=info msg=ok 12345 ".repeat(3_000); // ~147k chars
    String line = filler + "card 4111111111111111 " + filler + "password=hunter2";
    assertThat(line.length()).isGreaterThan(2 * Masker.MAX_KEPT_BUFFER);
    assertThat(SensitiveDataMasker.mask(line)).isEqualTo(filler + "card [card] " + filler + "password=[secret]");
    assertThat(SensitiveDataMasker.mask(filler)).isSameAs(filler);
    // a short line after the long ones reuses the thread's buffers without stale characters
    assertThat(SensitiveDataMasker.mask("pwd=a")).isEqualTo("pwd=[secret]");
    assertThat(SensitiveDataMasker.mask("ok")).isEqualTo("ok");
  }

  @Test
  void manyReplacementsGrowTheOutputPastTheInputLength() {
    String line = "pwd=a ".repeat(200);
    assertThat(SensitiveDataMasker.mask(line)).isEqualTo("pwd=[secret] ".repeat(200));
  }
}

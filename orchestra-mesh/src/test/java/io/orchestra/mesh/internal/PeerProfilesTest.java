package io.orchestra.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.mesh.PeerIdentity;
import io.orchestra.mesh.SecurityConfig;
import io.orchestra.mesh.policy.AuthorizationPolicy;
import io.orchestra.mesh.policy.MtlsPolicy;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Identity profiles stay per identity when the last-seen slot is in play. */
class PeerProfilesTest {

  @Test
  void alternatingIdentities_eachGetTheirOwnProfile_andEqualIdentitiesShareOne() {
    MtlsVerifier mtls =
        new MtlsVerifier(MtlsPolicy.builder().allowedIdentities(List.of("spiffe://example.org/ns/shop/*")).build(), Clock.systemUTC());
    Authorizer authorizer =
        new Authorizer(
            List.of(
                AuthorizationPolicy.allow("shop").namespaces(List.of("shop")).build(),
                AuthorizationPolicy.allow("ops").namespaces(List.of("ops")).build()),
            SecurityConfig.defaults().regexStepsPerChar());
    PeerProfiles profiles = new PeerProfiles(mtls, authorizer);
    PeerIdentity shop = PeerIdentity.of("spiffe://example.org/ns/shop/sa/a", null);
    PeerIdentity ops = PeerIdentity.of("spiffe://example.org/ns/ops/sa/b", null);
    for (int i = 0; i < 3; i++) {
      PeerProfiles.Profile s = profiles.of(i == 1 ? PeerIdentity.of("spiffe://example.org/ns/shop/sa/a", null) : shop);
      assertThat(s.mtlsAllowed).isTrue();
      assertThat(s.authorizationMask).isEqualTo(0b01L);
      PeerProfiles.Profile o = profiles.of(ops);
      assertThat(o.mtlsAllowed).isFalse();
      assertThat(o.authorizationMask).isEqualTo(0b10L);
      assertThat(profiles.of(PeerIdentity.anonymous()).authorizationMask).isZero();
    }
    assertThat(profiles.of(PeerIdentity.of("spiffe://example.org/ns/shop/sa/a", null))).isSameAs(profiles.of(shop));
  }
}

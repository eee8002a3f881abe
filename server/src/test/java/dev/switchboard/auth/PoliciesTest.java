package dev.switchboard.auth;

import dev.switchboard.core.Identity;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoliciesTest {
    private final Identity bob = new Identity("bob", true, 0, Set.of("alice"));
    private final Identity anonymous = Identity.unverified(null);

    @Test
    void anyLetsEveryoneSendToAnyone() {
        assertThat(SendPolicy.ANY.permits(bob, "carol")).isTrue();
        assertThat(SendPolicy.ANY.permits(anonymous, "carol")).isTrue();
    }

    @Test
    void selfOnlyLetsAUserSendToThemself() {
        assertThat(SendPolicy.SELF.permits(bob, "bob")).isTrue();
        assertThat(SendPolicy.SELF.permits(bob, "alice")).isFalse();
        assertThat(SendPolicy.SELF.permits(anonymous, "bob")).isFalse();
    }

    @Test
    void claimOnlyLetsAUserSendToTheListedUsers() {
        assertThat(SendPolicy.CLAIM.permits(bob, "alice")).isTrue();
        assertThat(SendPolicy.CLAIM.permits(bob, "carol")).isFalse();
        assertThat(SendPolicy.CLAIM.permits(bob, "bob")).isFalse();
    }

    @Test
    void policiesParseFromTheirFlagValues() {
        assertThat(SendPolicy.parse("self")).isEqualTo(SendPolicy.SELF);
        assertThat(SendPolicy.parse(" CLAIM ")).isEqualTo(SendPolicy.CLAIM);
        assertThatThrownBy(() -> SendPolicy.parse("everyone")).hasMessageContaining("any, self or claim");
    }

    @Test
    void originsMatchExactlyAndAMissingOriginIsNotABrowser() {
        OriginPolicy policy = new OriginPolicy(Set.of("https://app.example"));
        assertThat(policy.permits("https://app.example")).isTrue();
        assertThat(policy.permits("https://app.example.evil")).isFalse();
        assertThat(policy.permits("https://APP.example")).isFalse();
        assertThat(policy.permits("null")).isFalse();
        assertThat(policy.permits(null)).isTrue();
        assertThat(new OriginPolicy(Set.of()).permits("https://anything")).isTrue();
    }

    @Test
    void devModeBelievesTheRequestedUserId() {
        DevAuthenticator dev = new DevAuthenticator();
        Identity identity = dev.authenticate(new Credentials(null, "bob"));
        assertThat(identity.userId()).isEqualTo("bob");
        assertThat(identity.verified()).isFalse();
        assertThat(dev.verifies()).isFalse();
        assertThat(dev.authenticate(new Credentials(null, null)).userId()).isNull();
    }
}

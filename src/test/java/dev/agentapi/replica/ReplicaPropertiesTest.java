package dev.agentapi.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplicaPropertiesTest {

    private static ReplicaProperties with(String advertisedUrl, Duration ttl, String secret) {
        return new ReplicaProperties(advertisedUrl, ttl, secret, Duration.ofSeconds(2), Duration.ofSeconds(180), Duration.ofSeconds(1), 0);
    }

    @Test
    void theOwnerRenewsThreeTimesPerLease() {
        assertThat(with(null, Duration.ofSeconds(15), null).heartbeat()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aShortSecretIsRefusedAtStartNotUsed() {
        assertThatThrownBy(() -> with(null, Duration.ofSeconds(15), "too-short"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AGENT_API_REPLICA_SECRET")
                .hasMessageNotContaining("too-short");
        assertThat(with(null, Duration.ofSeconds(15), "x".repeat(32)).secret()).hasSize(32);
    }

    @Test
    void aLeaseShorterThanASecondOrAnAddressThatIsNoHttpUrlIsRefused() {
        assertThatThrownBy(() -> with(null, Duration.ofMillis(500), null)).hasMessageContaining("AGENT_LEASE_TTL");
        assertThatThrownBy(() -> with("10.0.0.7:8080", Duration.ofSeconds(15), null)).hasMessageContaining("AGENT_API_ADVERTISED_URL");
    }

    @Test
    void theConfiguredAddressIsUsedWithoutItsTrailingSlash() {
        ReplicaIdentity identity = new ReplicaIdentity(with("http://10.0.0.7:8080/", Duration.ofSeconds(15), null));
        assertThat(identity.advertisedUrl()).isEqualTo("http://10.0.0.7:8080");
        assertThat(identity.id()).doesNotContain(":");
    }
}

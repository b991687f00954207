package dev.agentapi.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Owner ids carry their source, so two sources never make the same string. */
class OwnerIdTest {

    @Test
    void anApiKeyOwnerAndATokenSubjectOfTheSameNameAreTwoOwners() {
        OwnerId key = OwnerId.ofKey("alice");
        OwnerId token = OwnerId.ofJwt("corp", "alice");

        assertThat(key.value()).isEqualTo("key:alice");
        assertThat(token.value()).isEqualTo("jwt:corp:alice");
        assertThat(key.value()).isNotEqualTo(token.value());
        assertThat(OwnerId.ofJwt("other", "alice").value()).as("another identity provider's alice").isNotEqualTo(token.value());
        assertThat(new Actor(key.value(), null, null, null, false).mayAccess(token.value())).isFalse();
        assertThat(new Actor(token.value(), null, null, null, false).mayAccess(key.value())).isFalse();
    }

    @Test
    void parsingGivesBackWhatValueMade() {
        for (OwnerId id : new OwnerId[] {OwnerId.ofKey("alice"), OwnerId.ofKey("svc-batch.2"), OwnerId.ofJwt("corp", "alice"),
                OwnerId.ofJwt("c4bda3f5b177", "auth0|5f7c8ec7c33c6c004bbafe82"), OwnerId.ofJwt("kc", "urn:user:42")}) {
            assertThat(OwnerId.parse(id.value())).isEqualTo(id);
        }
        OwnerId withColons = OwnerId.parse("jwt:kc:urn:user:42");
        assertThat(withColons.issuerTag()).isEqualTo("kc");
        assertThat(withColons.name()).as("a subject may hold colons; the tag never does").isEqualTo("urn:user:42");
        assertThat(withColons.source()).isEqualTo(OwnerId.Source.JWT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice", "system", "anonymous", "key:", "key: ", "key:a:b", "jwt:alice", "jwt::alice",
            "jwt:corp:", "jwt:Corp:alice", "jwt:-corp:alice", "jwt:a-tag-that-is-far-longer-than-32-chars:alice",
            "KEY:alice", "user:alice", "key:al\u0000ice", "jwt:corp:al\nice"})
    void aStringOfNoSourceOrAMalformedOneIsRefused(String value) {
        assertThatThrownBy(() -> OwnerId.parse(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullIsRefused() {
        assertThatThrownBy(() -> OwnerId.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIdFitsTheStoredColumnPrefixIncluded() {
        assertThat(OwnerId.ofKey("k".repeat(251)).value()).hasSize(OwnerId.MAX_LENGTH);
        assertThatThrownBy(() -> OwnerId.ofKey("k".repeat(252))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256").hasMessageNotContaining("kkk");
        assertThat(OwnerId.ofJwt("corp", "s".repeat(246)).value()).hasSize(OwnerId.MAX_LENGTH);
        assertThatThrownBy(() -> OwnerId.ofJwt("corp", "s".repeat(247))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theIssuerTagIsTheConfiguredNameElseAStableHashOfTheIssuer() {
        // SHA-256("https://issuer.test/tenant") starts c4bda3f5b177 (printf %s ... | sha256sum): fixed, so ids survive restarts
        assertThat(OwnerId.issuerTag(null, "https://issuer.test/tenant")).isEqualTo("c4bda3f5b177");
        assertThat(OwnerId.issuerTag("  ", "https://issuer.test/tenant")).isEqualTo("c4bda3f5b177");
        assertThat(OwnerId.issuerTag(null, "https://issuer.test/tenant/")).as("the issuer exactly as configured")
                .isNotEqualTo("c4bda3f5b177");
        assertThat(OwnerId.issuerTag("Corp", "https://issuer.test/tenant")).isEqualTo("corp");
        assertThatThrownBy(() -> OwnerId.issuerTag("corp:eu", "https://issuer.test/tenant"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OIDC_ISSUER_TAG");
        assertThatThrownBy(() -> OwnerId.issuerTag(null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}

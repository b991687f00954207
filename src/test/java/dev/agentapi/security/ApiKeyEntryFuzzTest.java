package dev.agentapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/** {@code AGENT_API_KEYS} entries ({@code owner:role:key}, {@code owner:role:sha256:<hex>}) as typed by hand. */
class ApiKeyEntryFuzzTest {

    private static final String SECRET = "Zq9";

    /** Any entry: an owner with a role and a 32-byte hash, or a refusal of ours that names no key. */
    @FuzzTest(maxDuration = "30s")
    void entries(byte[] input) {
        String entry = new String(input, StandardCharsets.UTF_8);
        int lastColon = entry.lastIndexOf(':');
        // whatever follows the last colon may be a key: it must never show in a message
        String tail = lastColon < 0 ? "" : entry.substring(lastColon + 1).strip();
        try {
            ApiKeyOwner owner = ApiKeyStore.parse(entry);
            assertThat(owner.owner().value()).startsWith("key:").isEqualTo(OwnerId.parse(owner.owner().value()).value());
            assertThat(owner.hash()).hasSize(32);
        } catch (IllegalArgumentException refused) {
            assertThat(refused).as("refusal of %s", entry).isExactlyInstanceOf(IllegalArgumentException.class);
            assertThat(refused.getMessage()).startsWith("API key");
            if (tail.startsWith(SECRET) && !entry.substring(0, lastColon).contains(tail)) {
                assertThat(refused.getMessage()).as("refusal of %s", entry).doesNotContain(tail);
            }
        }
    }
}

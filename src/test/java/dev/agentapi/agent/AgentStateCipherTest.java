package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * Agents' state is sealed with AES-256-GCM under AGENT_STATE_KEY: required outside local mode (a replica without it does
 * not start, saying why), made once and kept under .data/ locally; a sealed state opens only with its key and for its
 * agent, and holds nothing readable.
 */
class AgentStateCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    private static AgentStateProperties with(String key, Path keyFile) {
        return new AgentStateProperties(key, keyFile.toString(), Duration.ofSeconds(30), DataSize.ofMegabytes(5), Duration.ofMinutes(5));
    }

    @Test
    void outsideLocalModeNoKeyMeansNoStart(@TempDir Path dir) {
        assertThatThrownBy(() -> new AgentStateCipher(with(null, dir.resolve("k")), "postgresql://db/agents"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AGENT_STATE_KEY is not set");
        assertThatThrownBy(() -> new AgentStateCipher(with(" ", dir.resolve("k")), "postgresql://db/agents"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AGENT_STATE_KEY is not set");
        assertThat(dir.resolve("k")).as("no key file is made outside local mode").doesNotExist();
    }

    @Test
    void aKeyThatIsNotThirtyTwoBytesOfBase64IsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> new AgentStateCipher(with("not base64!", dir.resolve("k")), "postgresql://db/agents"))
                .hasMessageContaining("32 bytes in base64");
        assertThatThrownBy(() -> new AgentStateCipher(with(Base64.getEncoder().encodeToString(new byte[16]), dir.resolve("k")), ""))
                .hasMessageContaining("32 bytes in base64");
    }

    @Test
    void locallyAKeyIsMadeOnceAndKept(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(".data/agent-state.key");
        AgentStateCipher first = new AgentStateCipher(with(null, file), "");
        assertThat(file).exists();
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
        AgentStateCipher.Sealed sealed = first.seal("agent-1", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        AgentStateCipher afterRestart = new AgentStateCipher(with(null, file), "");
        assertThat(afterRestart.keyId()).isEqualTo(first.keyId());
        assertThat(new String(afterRestart.open("agent-1", sealed.nonce(), sealed.ciphertext()), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":1}");
    }

    @Test
    void aSealedStateOpensOnlyWithItsKeyAndForItsAgent(@TempDir Path dir) throws Exception {
        AgentStateCipher cipher = new AgentStateCipher(with(KEY, dir.resolve("k")), "postgresql://db/agents");
        byte[] plaintext = "{\"cookies\":[{\"name\":\"session\",\"value\":\"s3cr3t-cookie-value\"}]}".getBytes(StandardCharsets.UTF_8);
        AgentStateCipher.Sealed sealed = cipher.seal("agent-1", plaintext);

        assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t").doesNotContain("session");
        assertThat(sealed.nonce()).hasSize(12);
        assertThat(cipher.seal("agent-1", plaintext).nonce()).as("a fresh nonce per seal").isNotEqualTo(sealed.nonce());
        assertThat(cipher.open("agent-1", sealed.nonce(), sealed.ciphertext())).isEqualTo(plaintext);
        assertThatThrownBy(() -> cipher.open("agent-2", sealed.nonce(), sealed.ciphertext()))
                .as("another agent's state cannot be passed off as this one's").isInstanceOf(GeneralSecurityException.class);

        AgentStateCipher other = new AgentStateCipher(with(null, dir.resolve("other.key")), "");
        assertThat(other.keyId()).isNotEqualTo(cipher.keyId());
        assertThatThrownBy(() -> other.open("agent-1", sealed.nonce(), sealed.ciphertext())).isInstanceOf(GeneralSecurityException.class);

        assertThat(cipher.contentHash("agent-1", plaintext)).isEqualTo(cipher.contentHash("agent-1", plaintext))
                .isNotEqualTo(cipher.contentHash("agent-2", plaintext)).isNotEqualTo(other.contentHash("agent-1", plaintext));
    }
}

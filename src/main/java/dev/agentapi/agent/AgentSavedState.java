package dev.agentapi.agent;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An agent's browser state as kept at rest (table {@code agent_states}, V12): sealed by {@link AgentStateCipher}, never
 * in the clear. A save over the size cap keeps the last state and notes the skip.
 */
@Entity
@Table(name = "agent_states")
class AgentSavedState {

    @Id
    @Column(name = "agent_id")
    private String agentId;

    private byte[] ciphertext;

    private byte[] nonce;

    @Column(name = "key_id")
    private String keyId;

    @Column(name = "content_hash")
    private byte[] contentHash;

    @Column(name = "size_bytes", nullable = false)
    private int sizeBytes;

    @Column(name = "saved_at")
    private Instant savedAt;

    @Column(name = "save_reason")
    private String saveReason;

    @Column(name = "skipped_at")
    private Instant skippedAt;

    @Column(name = "skipped_bytes")
    private Integer skippedBytes;

    protected AgentSavedState() {
    }

    AgentSavedState(String agentId) {
        this.agentId = agentId;
    }

    void store(AgentStateCipher.Sealed sealed, byte[] contentHash, int sizeBytes, String reason, Instant at) {
        this.ciphertext = sealed.ciphertext();
        this.nonce = sealed.nonce();
        this.keyId = sealed.keyId();
        this.contentHash = contentHash;
        this.sizeBytes = sizeBytes;
        this.saveReason = reason;
        this.savedAt = at;
    }

    void skipped(int bytes, Instant at) {
        this.skippedBytes = bytes;
        this.skippedAt = at;
    }

    boolean holdsState() {
        return ciphertext != null;
    }

    String getAgentId() {
        return agentId;
    }

    byte[] getCiphertext() {
        return ciphertext;
    }

    byte[] getNonce() {
        return nonce;
    }

    String getKeyId() {
        return keyId;
    }

    byte[] getContentHash() {
        return contentHash;
    }

    int getSizeBytes() {
        return sizeBytes;
    }

    Instant getSavedAt() {
        return savedAt;
    }

    String getSaveReason() {
        return saveReason;
    }

    Instant getSkippedAt() {
        return skippedAt;
    }

    Integer getSkippedBytes() {
        return skippedBytes;
    }
}

package dev.agentapi.agent;

import dev.agentapi.security.CurrentActor;
import jakarta.annotation.Nullable;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * What an agent produced, as MCP's resources show it: its last screenshot and last PDF (kept by every screenshot and
 * pdf action that succeeds, whoever asked: REST, MCP or a task step; one row per agent and kind in PostgreSQL, so any
 * replica can serve it), and its stored trace ({@link AgentTraces}). Reading is owner-checked as the agent is (an
 * admin may read any agent's); listing covers the caller's own agents only.
 */
@Service
public class AgentArtifacts {

    /** The kinds, as they appear in {@code agent://{agent_id}/{kind}}. */
    public static final List<String> KINDS = List.of("screenshot", "pdf", "trace");

    private final AgentService agents;
    private final AgentCaptureStore store;
    private final CurrentActor actors;

    AgentArtifacts(AgentService agents, AgentCaptureStore store, CurrentActor actors) {
        this.agents = agents;
        this.store = store;
        this.actors = actors;
    }

    /** One thing an agent produced: which agent, which kind, its media type and size, and when. */
    public record Artifact(String agentId, String kind, String mediaType, long sizeBytes, java.time.Instant at) {
    }

    /** An artifact's bytes; {@code data} is null when it is larger than the reader's limit ({@code sizeBytes} says by how much). */
    public record Content(String mediaType, long sizeBytes, @Nullable byte[] data) {
    }

    /**
     * The caller's own agents' artifacts (an admin's own too, not every owner's), newest first and then by their
     * {@code agent://} URI, at most {@code limit}; with {@code afterAt} and {@code afterUri}, only those after that
     * place in this order (a page's last one).
     */
    public List<Artifact> listOwn(int limit, @Nullable java.time.Instant afterAt, @Nullable String afterUri) {
        return store.listOwned(actors.get().userId(), limit, afterAt, afterUri);
    }

    /**
     * The agent's last artifact of {@code kind}: empty when it has none; 404 ({@code AgentProblems.notFound}) when the
     * caller may not see the agent, exactly as for a missing agent. Bytes only up to {@code maxBytes}.
     */
    public Optional<Content> read(String agentId, String kind, long maxBytes) {
        if (!KINDS.contains(kind)) {
            return Optional.empty();
        }
        agents.get(agentId);
        return store.find(agentId, kind, maxBytes);
    }
}

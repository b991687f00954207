package dev.agentapi.agent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.agentapi.cache.AgentCache;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns agent rows into what clients see, and keeps the cache's copy current. A cache hit is served as
 * the cached JSON itself: the bytes go out as they came from the cache, and the view (for ownership
 * and the ETag) is decoded once per cached value, not once per request.
 */
@Component
class AgentViews {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};

    private final JsonMapper json;
    private final AgentCache cache;
    /**
     * The last cached value seen per agent, decoded. Keyed by the value itself (compared in full), so it
     * can never answer with anything but what the shared cache holds right now: only the decoding is saved.
     */
    private final Cache<String, AgentJson> decoded = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterAccess(Duration.ofMinutes(10)).build();

    AgentViews(JsonMapper json, AgentCache cache) {
        this.json = json;
        this.cache = cache;
    }

    AgentView of(BrowserAgent agent) {
        return new AgentView(agent.getId(), agent.getStatus(), agent.getStatusReason(), agent.getChannel(),
                agent.getEffectiveChannel(), agent.isHeadless(),
                json.readValue(agent.getConfig(), JSON_OBJECT),
                new AgentView.Viewport(agent.getViewportWidth(), agent.getViewportHeight()),
                agent.getUserAgent(), agent.getCreatedBy(), agent.getCreatedAt(), agent.getUpdatedAt(),
                agent.getTotalActions(), agent.getTotalErrors(), agent.getLastActionAt(),
                agent.getVersion() == null ? 0 : agent.getVersion());
    }

    /** Caches the view; returns it with its JSON, encoded once for the cache and the answer alike. */
    AgentJson cache(AgentView view) {
        String encoded = json.writeValueAsString(view);
        cache.put(view.agentId(), view.version(), encoded);
        AgentJson cached = new AgentJson(view, encoded, encoded.getBytes(StandardCharsets.UTF_8));
        // what this replica just cached is what its next read finds (every action changes the agent's counters, so
        // each read would otherwise decode the value again); kept by the value itself, as any decoded one
        decoded.put(view.agentId(), cached);
        return cached;
    }

    void uncache(String agentId, long deletedVersion) {
        cache.remove(agentId, deletedVersion);
    }

    /** The cached copy: empty on a miss or an unreadable entry; a tombstone answers 404. */
    Optional<AgentJson> cached(String agentId) {
        return cache.get(agentId).flatMap(entry -> {
            if (entry.deleted()) {
                throw AgentProblems.notFound(agentId);
            }
            AgentJson seen = decoded.getIfPresent(agentId);
            if (seen != null && seen.source().equals(entry.json())) {
                return Optional.of(seen);
            }
            try {
                AgentJson read = new AgentJson(json.readValue(entry.json(), AgentView.class), entry.json(),
                        entry.json().getBytes(StandardCharsets.UTF_8));
                decoded.put(agentId, read);
                return Optional.of(read);
            } catch (RuntimeException unreadable) {
                return Optional.empty();
            }
        });
    }
}

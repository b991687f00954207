package dev.agentapi.agent;

import dev.agentapi.cache.AgentCache;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Turns agent rows into what clients see, and keeps the cache's copy current. */
@Component
class AgentViews {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};

    private final JsonMapper json;
    private final AgentCache cache;

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

    void cache(AgentView view) {
        cache.put(view.agentId(), view.version(), json.writeValueAsString(view));
    }

    void uncache(String agentId, long deletedVersion) {
        cache.remove(agentId, deletedVersion);
    }

    /** The cached copy: empty on a miss or an unreadable entry; a tombstone answers 404. */
    Optional<AgentView> cached(String agentId) {
        return cache.get(agentId).flatMap(entry -> {
            if (entry.deleted()) {
                throw AgentProblems.notFound(agentId);
            }
            try {
                return Optional.of(json.readValue(entry.json(), AgentView.class));
            } catch (RuntimeException unreadable) {
                return Optional.empty();
            }
        });
    }
}

package dev.agentapi.cache;

import dev.agentapi.redis.RedisBacked;
import java.util.Optional;

/**
 * The agent representation, cached under {@code agent:{agent_id}}. Every entry carries the agent's
 * version and an older version never replaces a newer one, so a reader racing a writer cannot put
 * a stale agent back. A deleted agent leaves a tombstone. Failures never reach callers: a cache
 * that cannot answer is a miss.
 */
public interface AgentCache extends RedisBacked {

    Optional<CachedAgent> get(String agentId);

    /** Caches this version of the agent unless a newer one (or a tombstone) is already there. */
    void put(String agentId, long version, String json);

    /** Marks the agent deleted at {@code version}, so no older copy can come back. */
    void remove(String agentId, long version);

    /** {@code redis} or {@code local}: where entries live right now. */
    @Override
    String backend();

    @Override
    default String role() {
        return "cache";
    }

    /** A cache entry: the agent's JSON, or a tombstone ({@code json} null) for a deleted agent. */
    record CachedAgent(long version, String json) {

        public boolean deleted() {
            return json == null;
        }

        String encode() {
            return version + "|" + (json == null ? "" : json);
        }

        static Optional<CachedAgent> decode(String value) {
            int bar = value == null ? -1 : value.indexOf('|');
            if (bar <= 0) {
                return Optional.empty();
            }
            try {
                long version = Long.parseLong(value.substring(0, bar));
                String json = value.substring(bar + 1);
                return Optional.of(new CachedAgent(version, json.isEmpty() ? null : json));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }
}

package dev.agentapi.agent;

import dev.agentapi.replica.ReplicaIdentity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Which replica holds each agent's browser ({@code agent_leases}, see V9): this replica takes an agent's
 * lease before launching its browser, in the transaction that marks it starting, and gives it up when the
 * browser stops; {@link AgentLeaseKeeper} renews the leases held here and takes back those nobody renews.
 * Times are the database's. The leases this replica holds are also known here, in memory, so that a
 * request about an agent whose browser runs here costs no lookup.
 */
@Component
class AgentLeases {

    /** The replica holding an agent's lease, at {@code url}; {@code valid} while it has not expired. */
    record Holder(String replicaId, String url, boolean valid, Duration remaining) {
    }

    private final JdbcClient jdbc;
    private final ReplicaIdentity self;
    private final Duration ttl;
    private final Set<String> held = ConcurrentHashMap.newKeySet();

    AgentLeases(JdbcClient jdbc, ReplicaIdentity self, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.self = self;
        this.ttl = self.properties().leaseTtl();
        Gauge.builder("agent_leases_held", held, Set::size)
                .description("Agents whose browser this replica holds (leases it renews)").register(meters);
    }


    int heldCount() {
        return held.size();
    }

    Set<String> held() {
        return Set.copyOf(held);
    }


    /**
     * Another replica's live lease on the agent, when it holds one: requests about the agent's browser go
     * there. A lease held at this replica's own address by an earlier process (this replica restarted) is
     * not another replica's: that process is gone.
     */
    Optional<Holder> heldElsewhere(String agentId) {
        if (held.contains(agentId)) {
            return Optional.empty();
        }
        return holder(agentId).filter(h -> h.valid() && !h.replicaId().equals(self.id()) && !h.url().equals(self.advertisedUrl()));
    }

    Optional<Holder> holder(String agentId) {
        return jdbc.sql("SELECT replica_id, replica_url, expires_at > now() AS valid, "
                        + "GREATEST(0, EXTRACT(EPOCH FROM expires_at - now()))::float8 AS remaining "
                        + "FROM agent_leases WHERE agent_id = :id")
                .param("id", agentId)
                .query((rs, n) -> new Holder(rs.getString("replica_id"), rs.getString("replica_url"), rs.getBoolean("valid"),
                        Duration.ofMillis((long) (rs.getDouble("remaining") * 1000))))
                .optional();
    }

    /**
     * Takes the agent's lease for this replica (in the caller's transaction): when nobody holds it, this
     * replica already does, its holder let it expire, or its holder was an earlier process at this
     * replica's address. Otherwise fails with {@link OwnedElsewhere}, naming the holder.
     */
    void take(String agentId) {
        boolean taken = jdbc.sql("INSERT INTO agent_leases (agent_id, replica_id, replica_url, expires_at) "
                        + "VALUES (:id, :replica, :url, now() + make_interval(secs => :ttl)) "
                        + "ON CONFLICT (agent_id) DO UPDATE SET replica_id = EXCLUDED.replica_id, replica_url = EXCLUDED.replica_url, "
                        + "acquired_at = CASE WHEN agent_leases.replica_id = EXCLUDED.replica_id THEN agent_leases.acquired_at ELSE now() END, "
                        + "expires_at = EXCLUDED.expires_at "
                        + "WHERE agent_leases.replica_id = EXCLUDED.replica_id OR agent_leases.expires_at < now() "
                        + "OR agent_leases.replica_url = EXCLUDED.replica_url RETURNING agent_id")
                .param("id", agentId).param("replica", self.id()).param("url", self.advertisedUrl()).param("ttl", seconds(ttl))
                .query(String.class).optional().isPresent();
        if (!taken) {
            Holder holder = holder(agentId).orElseThrow(() -> new IllegalStateException("lease of " + agentId + " vanished"));
            throw new OwnedElsewhere(agentId, holder);
        }
        holdOnceCommitted(agentId);
    }

    /**
     * Counts the lease as held here once the taking transaction commits, not before: a heartbeat renewing
     * while that transaction is open cannot see the new lease row and would count it lost, closing the
     * browser being launched and never renewing its lease again (the agent then went {@code owner_lost}
     * while its browser ran here). A take that rolls back leaves nothing held.
     */
    private void holdOnceCommitted(String agentId) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            held.add(agentId);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                held.add(agentId);
            }
        });
    }

    /** Gives up this replica's lease on the agent (in the caller's transaction); another replica's stays. */
    void release(String agentId) {
        held.remove(agentId);
        jdbc.sql("DELETE FROM agent_leases WHERE agent_id = :id AND replica_id = :replica")
                .param("id", agentId).param("replica", self.id()).update();
    }

    /** The agent is deleted: whoever held it, the lease goes (the holder's heartbeat then closes its browser). */
    void releaseAny(String agentId) {
        held.remove(agentId);
        jdbc.sql("DELETE FROM agent_leases WHERE agent_id = :id").param("id", agentId).update();
    }

    /** Is the lease another replica's (live or not)? Then news of this replica's browser of the agent is stale. */
    boolean takenOver(String agentId) {
        return holder(agentId).map(h -> !h.replicaId().equals(self.id())).orElse(false);
    }

    /**
     * Extends every lease held here, in one statement; answers the agents whose lease this replica no longer
     * has (taken over after it expired, or the agent deleted): their browsers here must close.
     */
    Set<String> renew() {
        Set<String> mine = held();
        if (mine.isEmpty()) {
            return Set.of();
        }
        List<String> renewed = jdbc.sql("UPDATE agent_leases l SET expires_at = now() + make_interval(secs => :ttl) "
                        + "FROM browser_agents a WHERE a.id = l.agent_id AND a.deleted_at IS NULL "
                        + "AND l.replica_id = :replica AND l.agent_id IN (:ids) RETURNING l.agent_id")
                .param("ttl", seconds(ttl)).param("replica", self.id()).param("ids", mine)
                .query(String.class).list();
        Set<String> lost = new HashSet<>(mine);
        renewed.forEach(lost::remove);
        held.removeAll(lost);
        return lost;
    }

    /**
     * Leases to take back: other replicas' that expired, or held by an earlier process at this replica's
     * address. Never this replica's own: while it still holds the browser its heartbeat renews an expired
     * lease nobody took (the renewal does not ask for a live one).
     */
    List<String> reclaimable(int limit) {
        return jdbc.sql("SELECT agent_id FROM agent_leases WHERE replica_id <> :replica AND (expires_at < now() "
                        + "OR replica_url = :url) ORDER BY expires_at LIMIT :limit")
                .param("url", self.advertisedUrl()).param("replica", self.id()).param("limit", limit)
                .query(String.class).list();
    }

    /**
     * Locks and deletes the agent's lease if it is still reclaimable (in the caller's transaction; a lease
     * another replica is taking back or taking over at this moment is skipped); answers the address of the holder it had.
     */
    Optional<String> reclaim(String agentId) {
        Optional<String> holder = jdbc.sql("SELECT replica_url FROM agent_leases WHERE agent_id = :id AND replica_id <> :replica "
                        + "AND (expires_at < now() OR replica_url = :url) FOR UPDATE SKIP LOCKED")
                .param("id", agentId).param("url", self.advertisedUrl()).param("replica", self.id())
                .query(String.class).optional();
        holder.ifPresent(h -> jdbc.sql("DELETE FROM agent_leases WHERE agent_id = :id").param("id", agentId).update());
        return holder;
    }

    /** Agents starting or running with no lease at all (left by a process that died before leases existed, or never took one). */
    List<String> unleasedActive() {
        return jdbc.sql("SELECT a.id FROM browser_agents a WHERE a.status IN ('starting', 'running') AND a.deleted_at IS NULL "
                + "AND NOT EXISTS (SELECT 1 FROM agent_leases l WHERE l.agent_id = a.id)").query(String.class).list();
    }

    /** Locks the agent's row (in the caller's transaction) if it is still starting or running without a lease. */
    boolean lockUnleasedActive(String agentId) {
        return jdbc.sql("SELECT a.id FROM browser_agents a WHERE a.id = :id AND a.status IN ('starting', 'running') "
                        + "AND a.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM agent_leases l WHERE l.agent_id = a.id) "
                        + "FOR UPDATE OF a SKIP LOCKED")
                .param("id", agentId).query(String.class).optional().isPresent();
    }


    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}

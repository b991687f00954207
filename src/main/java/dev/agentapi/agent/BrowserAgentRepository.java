package dev.agentapi.agent;

import java.util.Collection;
import java.util.Optional;
import java.time.Instant;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface BrowserAgentRepository extends JpaRepository<BrowserAgent, String> {

    Optional<BrowserAgent> findByIdAndDeletedAtIsNull(String id);

    Optional<BrowserAgent> findByIdAndCreatedByAndDeletedAtIsNull(String id, String createdBy);

    /**
     * Counts an action atomically (concurrent writers never lose one) and returns the agent as it
     * now is, in one round trip.
     */
    @Query(value = """
            UPDATE browser_agents SET total_actions = total_actions + 1, total_errors = total_errors + :errors,
                   last_action_at = :now, updated_at = :now, version = version + 1
            WHERE id = :id AND deleted_at IS NULL
            RETURNING *""", nativeQuery = true)
    Optional<BrowserAgent> recordAction(@Param("id") String id, @Param("errors") int errors, @Param("now") Instant now);

    List<BrowserAgent> findByStatusInAndDeletedAtIsNull(Collection<AgentStatus> statuses);

    long countByStatusInAndDeletedAtIsNull(Collection<AgentStatus> statuses);

    long countByCreatedByAndStatusInAndDeletedAtIsNullAndIdNot(String createdBy, Collection<AgentStatus> statuses, String id);
}

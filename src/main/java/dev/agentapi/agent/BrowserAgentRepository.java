package dev.agentapi.agent;

import java.util.Collection;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import java.time.Instant;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface BrowserAgentRepository extends JpaRepository<BrowserAgent, String> {

    Optional<BrowserAgent> findByIdAndDeletedAtIsNull(String id);

    Page<BrowserAgent> findByDeletedAtIsNull(Pageable pageable);

    Page<BrowserAgent> findByStatusAndDeletedAtIsNull(AgentStatus status, Pageable pageable);

    Page<BrowserAgent> findByCreatedByAndDeletedAtIsNull(String createdBy, Pageable pageable);

    Page<BrowserAgent> findByCreatedByAndStatusAndDeletedAtIsNull(String createdBy, AgentStatus status, Pageable pageable);

    /** Counts an action atomically, so concurrent writers never lose one. */
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("""
            UPDATE BrowserAgent a SET a.totalActions = a.totalActions + 1, a.totalErrors = a.totalErrors + :errors,
                   a.lastActionAt = :now, a.updatedAt = :now, a.version = a.version + 1
            WHERE a.id = :id AND a.deletedAt IS NULL""")
    int recordAction(@Param("id") String id, @Param("errors") int errors, @Param("now") Instant now);

    List<BrowserAgent> findByStatusInAndDeletedAtIsNull(Collection<AgentStatus> statuses);

    long countByStatusInAndDeletedAtIsNull(Collection<AgentStatus> statuses);
}

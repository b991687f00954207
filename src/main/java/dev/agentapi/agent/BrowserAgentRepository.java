package dev.agentapi.agent;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/** Browser agents; list pages are windows of {@link AgentSummary} (see {@link AgentListing}), their totals in {@link AgentListQueries}. */
@Transactional(readOnly = true) // the declared queries; saves and deletes keep Spring Data's read-write transactions
interface BrowserAgentRepository extends JpaRepository<BrowserAgent, String>, AgentListQueries, AgentActionCounts {

    Optional<BrowserAgent> findByIdAndDeletedAtIsNull(String id);

    Optional<BrowserAgent> findByIdAndCreatedByAndDeletedAtIsNull(String id, String createdBy);

    List<BrowserAgent> findByStatusInAndDeletedAtIsNull(Collection<AgentStatus> statuses);

    long countByStatusInAndDeletedAtIsNull(Collection<AgentStatus> statuses);

    /** Who created the live agent, without loading it. */
    @Query("select a.createdBy from BrowserAgent a where a.id = :id and a.deletedAt is null")
    Optional<String> findOwnerById(@Param("id") String id);

    long countByCreatedByAndStatusInAndDeletedAtIsNullAndIdNot(String createdBy, Collection<AgentStatus> statuses, String id);

    // Keyset windows of live agents, one per list filter (each has its V8 index), created_at bounded for the seek.

    Window<AgentSummary> findByCreatedAtLessThanEqualAndDeletedAtIsNull(Instant notAfter, ScrollPosition position,
                                                                       Sort sort, Limit limit);

    Window<AgentSummary> findByStatusAndCreatedAtLessThanEqualAndDeletedAtIsNull(AgentStatus status, Instant notAfter,
                                                                                ScrollPosition position, Sort sort, Limit limit);

    Window<AgentSummary> findByCreatedByAndCreatedAtLessThanEqualAndDeletedAtIsNull(String createdBy, Instant notAfter,
                                                                                   ScrollPosition position, Sort sort, Limit limit);

    Window<AgentSummary> findByCreatedByAndStatusAndCreatedAtLessThanEqualAndDeletedAtIsNull(String createdBy, AgentStatus status,
                                                                                            Instant notAfter, ScrollPosition position,
                                                                                            Sort sort, Limit limit);
}

package dev.agentapi.agent;

import java.util.Collection;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface BrowserAgentRepository extends JpaRepository<BrowserAgent, String> {

    Optional<BrowserAgent> findByIdAndDeletedAtIsNull(String id);

    Page<BrowserAgent> findByDeletedAtIsNull(Pageable pageable);

    Page<BrowserAgent> findByStatusAndDeletedAtIsNull(AgentStatus status, Pageable pageable);

    Page<BrowserAgent> findByCreatedByAndDeletedAtIsNull(String createdBy, Pageable pageable);

    Page<BrowserAgent> findByCreatedByAndStatusAndDeletedAtIsNull(String createdBy, AgentStatus status, Pageable pageable);

    long countByStatusInAndDeletedAtIsNull(Collection<AgentStatus> statuses);
}

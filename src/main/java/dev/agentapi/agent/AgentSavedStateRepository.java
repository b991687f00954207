package dev.agentapi.agent;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Agents' saved browser state, one row per agent ({@link AgentStates}). */
interface AgentSavedStateRepository extends JpaRepository<AgentSavedState, String> {

    /**
     * Whether the agent is live, holding its row against a concurrent delete until the caller's transaction ends
     * ({@code FOR SHARE}: a delete's soft-delete waits, so a save never leaves a state behind a deleted agent).
     */
    @Query(value = "SELECT id FROM browser_agents WHERE id = :id AND deleted_at IS NULL FOR SHARE", nativeQuery = true)
    java.util.List<String> lockLiveAgent(@Param("id") String agentId);

    @Modifying
    @Query("delete from AgentSavedState s where s.agentId = :id")
    int deleteByAgent(@Param("id") String agentId);
}

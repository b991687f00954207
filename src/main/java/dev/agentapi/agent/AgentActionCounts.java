package dev.agentapi.agent;

import dev.agentapi.audit.AuditStatement;
import java.time.Instant;
import java.util.Optional;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** A repository fragment: an action counted with its audit entry in one statement. */
interface AgentActionCounts {

    /**
     * Counts an action atomically (concurrent writers never lose one), writes its audit entry {@code entry} and keeps what
     * it captured ({@code capture}, or null) as the agent's last one, in one statement: all commit or none, in one round
     * trip. Returns the agent as it now is, or empty when it is gone (the entry is written either way, the capture
     * not). Needs no transaction: it joins the caller's when there is one.
     */
    @Transactional(propagation = Propagation.SUPPORTS)
    Optional<BrowserAgent> countAction(String id, int errors, Instant now, AuditStatement entry, AgentCaptureStore.Capture capture);
}

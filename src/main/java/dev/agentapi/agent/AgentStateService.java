package dev.agentapi.agent;

import dev.agentapi.audit.AuditAction;
import dev.agentapi.audit.AuditRecord;
import dev.agentapi.audit.AuditTrail;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * An agent's saved browser state through the API: read (download), replace, delete, by the agent's owner or an admin
 * (another owner's agent is as absent as a missing one). Each is audited with sizes only, never the content.
 */
@Service
class AgentStateService {

    private final AgentService agents;
    private final AgentStates states;
    private final AuditTrail audit;
    private final JsonMapper json;
    private final TransactionTemplate transaction;

    AgentStateService(AgentService agents, AgentStates states, AuditTrail audit, JsonMapper json,
                      PlatformTransactionManager transactions) {
        this.agents = agents;
        this.states = states;
        this.audit = audit;
        this.json = json;
        this.transaction = new TransactionTemplate(transactions);
    }

    AgentStateView read(String agentId) {
        AuditRecord attempt = attempt("agent.state_download", AuditAction.EXECUTE, agentId, Map.of());
        return audited(attempt, () -> {
            AgentView agent = agents.get(agentId);
            Optional<SavedBrowserState> state = states.read(agentId);
            AgentStateView view = view(agent, state.orElse(null));
            transaction.executeWithoutResult(status -> audit.recordSuccess(attempt(attempt.eventType(), attempt.action(), agentId,
                    Map.of("size_bytes", view.sizeBytes(), "saved", state.isPresent()))));
            return view;
        });
    }

    /** The state the agent's browser starts from at its next launch; a browser running now keeps its own until then. */
    AgentStateView replace(String agentId, SavedBrowserState state) {
        AuditRecord attempt = attempt("agent.state_replace", AuditAction.UPDATE, agentId, Map.of());
        return audited(attempt, () -> {
            AgentView agent = agents.get(agentId);
            if (!AgentStates.persists(agent.config())) {
                throw AgentProblems.stateOptedOut(agentId);
            }
            byte[] plaintext = json.writeValueAsBytes(state);
            if (plaintext.length > states.maxBytes()) {
                throw AgentProblems.stateTooLarge(plaintext.length, states.maxBytes());
            }
            transaction.executeWithoutResult(status -> {
                AgentStates.Outcome outcome = states.store(agentId, plaintext, AgentStates.REPLACED);
                if (outcome == AgentStates.Outcome.GONE) {
                    throw AgentProblems.notFound(agentId);
                }
                audit.recordSuccess(attempt(attempt.eventType(), attempt.action(), agentId, Map.of("size_bytes", plaintext.length,
                        "cookies", state.storageState().cookies().size(), "origins", state.storageState().origins().size(),
                        "tabs", state.tabs().size(), "session_storage_tabs", state.sessionStorage().size())));
            });
            return view(agent, state);
        });
    }

    /** Forgets the agent's saved state: its next launch starts blank. */
    void delete(String agentId) {
        AuditRecord attempt = attempt("agent.state_delete", AuditAction.DELETE, agentId, Map.of());
        audited(attempt, () -> {
            agents.get(agentId);
            transaction.executeWithoutResult(status -> {
                boolean deleted = states.delete(agentId);
                audit.recordSuccess(attempt(attempt.eventType(), attempt.action(), agentId, Map.of("deleted", deleted)));
            });
            return null;
        });
    }

    private AgentStateView view(AgentView agent, SavedBrowserState state) {
        Optional<AgentSavedState> row = states.row(agent.agentId());
        AgentStateView.Skipped skipped = row.filter(r -> r.getSkippedAt() != null)
                .map(r -> new AgentStateView.Skipped(r.getSkippedAt(), r.getSkippedBytes(), "over_cap")).orElse(null);
        boolean held = row.map(AgentSavedState::holdsState).orElse(false);
        return new AgentStateView(agent.agentId(), AgentStates.persists(agent.config()),
                held ? row.get().getSavedAt() : null, held ? row.get().getSaveReason() : null,
                held ? row.get().getSizeBytes() : 0, states.maxBytes(), skipped, state == null ? null : json.valueToTree(state));
    }

    private static AuditRecord attempt(String event, AuditAction action, String agentId, Map<String, ?> details) {
        return new AuditRecord(event, action, AgentService.RESOURCE, agentId, details, null, null);
    }

    private <T> T audited(AuditRecord attempt, Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException failure) {
            audit.recordFailure(attempt, AgentProblems.describe(failure));
            throw failure;
        }
    }
}

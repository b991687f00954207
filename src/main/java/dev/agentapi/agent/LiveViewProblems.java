package dev.agentapi.agent;

import dev.agentapi.audit.AuditAction;
import dev.agentapi.audit.AuditRecord;
import dev.agentapi.browser.BrowserRuntime;
import dev.agentapi.browser.BrowserSession;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * The ways a live view, a hold or a request for a person can be refused, each an RFC 9457 problem; and what the
 * three share: the agent's browser on this replica, and their audit entries.
 */
final class LiveViewProblems {

    private LiveViewProblems() {
    }

    /** The agent's running browser on this replica; else 409, naming the replica that runs it, or saying none does. */
    static BrowserSession runningHere(BrowserRuntime runtime, AgentLeases leases, String agentId) {
        return runtime.session(agentId).filter(s -> !s.closed()).orElseThrow(() -> leases.heldElsewhere(agentId)
                .map(holder -> elsewhere(agentId, holder))
                .orElseGet(() -> notRunning(agentId)));
    }

    /** An audit entry of the agent's live view, hold or request for a person. */
    static AuditRecord audited(String event, String agentId, Map<String, ?> details) {
        return new AuditRecord(event, AuditAction.EXECUTE, AgentService.RESOURCE, agentId, details, null, null);
    }

    static ErrorResponseException viewersPerAgent(String agentId, int cap) {
        return tooMany("live-viewers-per-agent", "Too many viewers of this agent",
                "Agent '" + agentId + "' already has " + cap + " live viewers, the most it may have; close one and retry");
    }

    static ErrorResponseException viewersPerCaller(int cap) {
        return tooMany("live-viewers-per-caller", "Too many live views",
                "You already have " + cap + " live views open, the most one caller may have; close one and retry");
    }

    static ErrorResponseException noStreamCapacity(int cap) {
        ErrorResponseException e = problem(HttpStatus.SERVICE_UNAVAILABLE, "live-view-capacity", "No live view capacity",
                "This replica already streams " + cap + " agents; retry after Retry-After seconds");
        e.getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
        return e;
    }

    static ErrorResponseException notRunning(String agentId) {
        return problem(HttpStatus.CONFLICT, "agent-not-running", "Agent not running",
                "Agent '" + agentId + "' has no running browser; run an action to start it first");
    }

    /** The agent's browser runs on another replica, named (id and address) for an operator; the view is not forwarded. */
    static ErrorResponseException elsewhere(String agentId, AgentLeases.Holder holder) {
        ErrorResponseException e = problem(HttpStatus.CONFLICT, "agent-on-another-replica", "Agent on another replica",
                "Agent '" + agentId + "''s browser runs on replica " + holder.replicaId()
                        + "; a live view and a hold are served only by that replica");
        e.getBody().setProperty("replica", holder.replicaId());
        return e;
    }

    static ErrorResponseException heldByPerson(String agentId) {
        return problem(HttpStatus.CONFLICT, "agent-held-by-person", "Agent held by a person",
                "A person has taken agent '" + agentId + "' over; its actions are refused until they release it");
    }

    static ErrorResponseException notHolding(String agentId) {
        return problem(HttpStatus.CONFLICT, "agent-not-held", "Agent not held by you",
                "You do not hold agent '" + agentId + "'; take it over first (POST .../takeover)");
    }

    private static ErrorResponseException tooMany(String type, String title, String detail) {
        return problem(HttpStatus.TOO_MANY_REQUESTS, type, title, detail);
    }

    private static ErrorResponseException problem(HttpStatus status, String type, String title, String detail) {
        return AgentProblems.problem(status, type, title, detail);
    }
}

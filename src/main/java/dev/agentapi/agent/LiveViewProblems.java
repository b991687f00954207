package dev.agentapi.agent;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The ways a live view or a hold can be refused, each an RFC 9457 problem. */
final class LiveViewProblems {

    private LiveViewProblems() {
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

package dev.agentapi.agent;

import dev.agentapi.browser.BrowserProperties;
import dev.agentapi.browser.BrowserRuntime;
import java.net.URI;
import java.util.List;
import java.util.OptionalInt;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * One owner may hold at most {@code BROWSER_MAX_PER_OWNER} browsers at once, so nobody can take
 * every browser of the service. Held means an agent of theirs that is {@code starting} or
 * {@code running}, counted in PostgreSQL, so the limit holds over all replicas. Asked before a create
 * launches a browser and before an action relaunches one; beyond the limit the answer is 429 in the
 * seed's rate-limit shape. Two launches of one owner racing each other can both pass the count: the
 * limit can be exceeded by the owner's launches in flight at that moment, never more.
 */
@Component
class BrowserQuota {

    private static final List<AgentStatus> HOLDING = List.of(AgentStatus.STARTING, AgentStatus.RUNNING);

    private final BrowserAgentRepository agents;
    private final BrowserRuntime runtime;
    private final OptionalInt limit;

    BrowserQuota(BrowserAgentRepository agents, BrowserRuntime runtime, BrowserProperties properties) {
        this.agents = agents;
        this.runtime = runtime;
        this.limit = properties.ownerLimit();
    }

    /** Refuses (429) a browser for {@code agentId} when its owner already holds the most they may. */
    void admit(String owner, String agentId) {
        if (limit.isEmpty() || owner == null || runtime.session(agentId).isPresent()) {
            return;
        }
        long held = agents.countByCreatedByAndStatusInAndDeletedAtIsNullAndIdNot(owner, HOLDING, agentId);
        if (held >= limit.getAsInt()) {
            throw exceeded(held);
        }
    }

    private ErrorResponseException exceeded(long held) {
        long retryAfter = Math.max(1, runtime.retryAfter().toSeconds());
        String message = "You hold " + held + " browsers, the most one owner may (BROWSER_MAX_PER_OWNER="
                + limit.getAsInt() + "); delete an agent or let one go idle, then retry.";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, message);
        problem.setType(URI.create("urn:agent-api:problem:browser-quota"));
        problem.setTitle("Too Many Requests");
        problem.setProperty("error", "Browser quota exceeded");
        problem.setProperty("message", message);
        problem.setProperty("retry_after", retryAfter);
        ErrorResponseException refused = new ErrorResponseException(HttpStatus.TOO_MANY_REQUESTS, problem, null);
        refused.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter));
        return refused;
    }
}

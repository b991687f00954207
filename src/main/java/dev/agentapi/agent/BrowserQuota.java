package dev.agentapi.agent;

import dev.agentapi.browser.BrowserProperties;
import dev.agentapi.browser.BrowserRuntime;
import java.net.URI;
import java.util.List;
import java.util.OptionalInt;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.ErrorResponseException;

/**
 * One owner may hold at most {@code BROWSER_MAX_PER_OWNER} browsers at once, so nobody can take
 * every browser of the service. Held means an agent of theirs that is {@code starting} or
 * {@code running}, counted in PostgreSQL, so the limit holds over all replicas. The count and the
 * step that marks an agent {@code starting} are one: {@link #hold} runs in the transaction that
 * marks it, under a transaction-scoped advisory lock on the owner, so two launches of one owner (on
 * any replicas) take turns and the second counts the first. Asked when a create launches a browser
 * and when an action relaunches one; beyond the limit the answer is 429 in the seed's rate-limit
 * shape, and the transaction (with the agent's change) rolls back.
 */
@Component
class BrowserQuota {

    private static final List<AgentStatus> HOLDING = List.of(AgentStatus.STARTING, AgentStatus.RUNNING);
    /**
     * The first key of the owners' advisory locks ({@code pg_advisory_xact_lock(int, int)}, the second key is
     * {@code hashtext(owner)}), so they never meet another use of advisory locks; two owners whose names hash alike
     * only take turns.
     */
    static final int LOCK_SPACE = 0x42515431; // "BQT1"

    private final BrowserAgentRepository agents;
    private final BrowserRuntime runtime;
    private final JdbcClient jdbc;
    private final OptionalInt limit;

    BrowserQuota(BrowserAgentRepository agents, BrowserRuntime runtime, JdbcClient jdbc, BrowserProperties properties) {
        this.agents = agents;
        this.runtime = runtime;
        this.jdbc = jdbc;
        this.limit = properties.ownerLimit();
    }

    /**
     * In the caller's transaction, just before it marks {@code agentId} starting: waits for the owner's
     * other launches in flight to commit or roll back, then refuses (429) when the owner already holds the
     * most they may. The lock is held until the caller's transaction ends, so the agent it marks is counted
     * by the next launch.
     */
    void hold(String owner, String agentId) {
        if (limit.isEmpty() || owner == null) {
            return;
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("The browser quota is held in the transaction that marks the agent starting");
        }
        jdbc.sql("SELECT 1 FROM pg_advisory_xact_lock(:space, hashtext(:owner))")
                .param("space", LOCK_SPACE).param("owner", owner).query(Integer.class).single();
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

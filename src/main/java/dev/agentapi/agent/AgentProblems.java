package dev.agentapi.agent;

import java.net.URI;
import java.util.Map;
import dev.agentapi.browser.BrowserFailure;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The ways an agent operation can be refused, each an RFC 9457 problem. */
final class AgentProblems {

    private AgentProblems() {
    }

    static ErrorResponseException notFound(String agentId) {
        ErrorResponseException e = problem(HttpStatus.NOT_FOUND, "agent-not-found", "Agent not found",
                "No browser agent with id '" + agentId + "'");
        e.getBody().setProperty("error", "Agent not found"); // the seed's field, for its clients
        return e;
    }

    static ErrorResponseException alreadyExists(String agentId) {
        return problem(HttpStatus.CONFLICT, "agent-exists", "Agent already exists",
                "A browser agent with id '" + agentId + "' already exists (ids of deleted agents stay taken)");
    }

    static ErrorResponseException concurrentUpdate(String agentId) {
        return problem(HttpStatus.CONFLICT, "concurrent-update", "Concurrent update",
                "Agent '" + agentId + "' was changed by another request; read it again and retry");
    }

    static ErrorResponseException versionMismatch(String agentId, long expected, long actual) {
        return problem(HttpStatus.CONFLICT, "version-mismatch", "Version mismatch",
                "Agent '" + agentId + "' is at version " + actual + ", not " + expected);
    }

    static ErrorResponseException preconditionFailed(String agentId, long actual) {
        return problem(HttpStatus.PRECONDITION_FAILED, "precondition-failed", "Precondition failed",
                "If-Match does not match agent '" + agentId + "' (current ETag \"" + actual + "\")");
    }

    static ErrorResponseException invalid(Map<String, String> errors) {
        ErrorResponseException e = problem(HttpStatus.BAD_REQUEST, "validation", "Invalid request",
                "The request has invalid fields");
        e.getBody().setProperty("errors", errors);
        return e;
    }

    static ErrorResponseException stateTooLarge(long size, long max) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "state-too-large", "Browser state too large",
                "The browser state is " + size + " bytes as JSON; an agent keeps at most " + max + " (AGENT_STATE_MAX_SIZE)");
    }

    static ErrorResponseException stateOptedOut(String agentId) {
        return problem(HttpStatus.CONFLICT, "state-not-kept", "Agent keeps no browser state",
                "Agent " + agentId + " has \"persist_state\": false in its config; change that first");
    }

    static ErrorResponseException notRestartable(String agentId, String reason) {
        return problem(HttpStatus.CONFLICT, "agent-not-running", "Agent not running",
                "Agent '" + agentId + "' is not running and could not be restarted: " + reason);
    }

    /** The replica holding the agent's browser cannot be reached; its lease runs out within {@code retryAfterSeconds}. */
    static ErrorResponseException holderUnreachable(long retryAfterSeconds) {
        ErrorResponseException e = problem(HttpStatus.SERVICE_UNAVAILABLE, "agent-unavailable", "Agent unavailable",
                "The agent's browser is held by a replica that does not answer; retry after Retry-After seconds");
        e.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        return e;
    }

    /** The replica holding the agent's browser took longer than the forward read timeout: the outcome is unknown. */
    static ErrorResponseException holderTimedOut() {
        return problem(HttpStatus.GATEWAY_TIMEOUT, "agent-timeout", "Agent did not answer",
                "The agent's browser did not answer in time; read the agent before retrying");
    }

    /** A forwarded request reached a replica that no longer holds the agent (it moved meanwhile): the caller retries. */
    static ErrorResponseException holderMoved(long retryAfterSeconds) {
        ErrorResponseException e = problem(HttpStatus.SERVICE_UNAVAILABLE, "agent-unavailable", "Agent unavailable",
                "The agent's browser moved while the request was on its way; retry after Retry-After seconds");
        e.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        return e;
    }

    /**
     * A browser failure as the problem it means for the client; no capacity (or memory for a large result right
     * now) answers 503 with Retry-After. A result over its limit is {@code urn:agent-api:problem:browser-result-too-large}
     * (422), its detail naming the limit.
     */
    static ErrorResponseException browser(BrowserFailure failure, java.time.Duration retryAfter) {
        HttpStatus status = HttpStatus.valueOf(failure.kind().status());
        ErrorResponseException problem = problem(status, "browser-" + failure.kind().name().toLowerCase().replace('_', '-'),
                status.getReasonPhrase(), failure.getMessage());
        if (failure.kind() == BrowserFailure.Kind.CAPACITY || failure.kind() == BrowserFailure.Kind.OVERLOADED) {
            problem.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter.toSeconds()));
        }
        return problem;
    }

    /** A failure as its audit entry names it: the problem's detail, or the exception's class. */
    static String describe(RuntimeException failure) {
        if (failure instanceof ErrorResponseException problem && problem.getBody().getDetail() != null) {
            return problem.getBody().getDetail();
        }
        return failure.getClass().getSimpleName();
    }

    /** A problem of type {@code urn:agent-api:problem:<type>}; the agent package's other problem kinds use it too. */
    static ErrorResponseException problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(URI.create("urn:agent-api:problem:" + type));
        body.setTitle(title);
        return new ErrorResponseException(status, body, null);
    }
}

package dev.agentapi.agent;

import dev.agentapi.security.Actor;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Which agents on this replica wait for a person (MCP {@code request_human}), with the message for them, and the caps
 * on such waits: each holds its request's thread, so at most {@code per-caller} of one caller and {@code max-waiting}
 * on the replica wait at once. One wait per agent: the same caller asking again replaces its wait (the earlier call
 * ends {@code superseded}: a client that gave up and called again), another caller is refused. Opening, answering and
 * ending a wait is {@link HumanRequestService}'s business; this registry depends on nothing so that {@link Takeovers}
 * can tell it a hold ended.
 */
@Component
class HumanRequests {

    private final LiveViewProperties.HumanRequest settings;
    /** Waiting agents; guarded by {@code this}. */
    private final Map<String, Waiting> waiting = new HashMap<>();

    HumanRequests(LiveViewProperties properties) {
        this.settings = properties.humanRequest();
    }

    /** How a wait ended: why, and the hold that answered it (null fields when no person held the agent). */
    record Ending(String outcome, String heldBy, Long heldMs, Long inputs) {

        static Ending without(String outcome) {
            return new Ending(outcome, null, null, null);
        }
    }

    /** One agent waiting for a person: who asked, what for, since and until when; {@link #answer} completes when it ends. */
    static final class Waiting {
        final String agentId;
        final Actor requester;
        final String message;
        final Instant since;
        final Instant deadline;
        final CompletableFuture<Ending> answer = new CompletableFuture<>();
        /** When this replica first saw the agent's browser closed (the wait ends at the next look, as deleted or closed). */
        volatile Instant closedAt;
        /** The last hold that ended while the browser closed, so a wait ending {@code browser-closed} names its holder. */
        volatile Ending closedHold;

        Waiting(String agentId, Actor requester, String message, Instant since, Instant deadline) {
            this.agentId = agentId;
            this.requester = requester;
            this.message = message;
            this.since = since;
            this.deadline = deadline;
        }

        boolean askedBy(Actor actor) {
            return requester.userId().equals(actor.userId());
        }
    }

    /**
     * Marks the agent as waiting for a person until {@code deadline}: 409 when another caller's request waits on it, 429
     * beyond the caller's cap, 503 beyond the replica's. The caller's own earlier wait on the agent ends superseded.
     */
    synchronized Waiting open(String agentId, Actor requester, String message, Instant deadline) {
        Waiting earlier = waiting.get(agentId);
        if (earlier != null && !earlier.askedBy(requester)) {
            throw alreadyRequested(agentId);
        }
        long mine = waiting.values().stream().filter(w -> w != earlier && w.askedBy(requester)).count();
        if (mine >= settings.perCaller()) {
            throw AgentProblems.problem(HttpStatus.TOO_MANY_REQUESTS, "human-requests-per-caller", "Too many requests for a person",
                    "You already wait for a person on " + mine + " agents, the most one caller may; let one end and retry");
        }
        if (earlier == null && waiting.size() >= settings.maxWaiting()) {
            ErrorResponseException e = AgentProblems.problem(HttpStatus.SERVICE_UNAVAILABLE, "human-request-capacity",
                    "No room to wait for a person", "This replica already has " + waiting.size()
                            + " agents waiting for a person; retry after Retry-After seconds");
            e.getHeaders().set(HttpHeaders.RETRY_AFTER, "30");
            throw e;
        }
        Waiting opened = new Waiting(agentId, requester, message, earlier == null ? Instant.now() : earlier.since, deadline);
        waiting.put(agentId, opened);
        if (earlier != null) {
            earlier.answer.complete(Ending.without("superseded"));
        }
        return opened;
    }

    /** Ends exactly this wait (not a later one of the same agent) with {@code ending}, unless it ended already. */
    synchronized void end(Waiting wait, Ending ending) {
        waiting.remove(wait.agentId, wait);
        wait.answer.complete(ending);
    }

    synchronized Optional<Waiting> waiting(String agentId) {
        return Optional.ofNullable(waiting.get(agentId));
    }

    synchronized List<Waiting> all() {
        return List.copyOf(waiting.values());
    }

    LiveViewProperties.HumanRequest settings() {
        return settings;
    }

    static ErrorResponseException alreadyRequested(String agentId) {
        return AgentProblems.problem(HttpStatus.CONFLICT, "human-already-requested", "A person is already requested",
                "Another caller already waits for a person on agent '" + agentId + "'");
    }
}

package dev.agentapi.agent;

import dev.agentapi.browser.ActionResult;
import dev.agentapi.browser.BrowserAction;
import dev.agentapi.replica.ReplicaClient;
import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends a request about an agent's browser to the replica that holds it (its lease names the address),
 * acting for the caller: the holder checks ownership, runs it and audits it as that caller, and the
 * answer here is the holder's (a result, or the same problem with its status and {@code Retry-After}).
 * A holder that cannot be reached answers 503 with {@code Retry-After} (the lease's remaining time): no
 * second browser is launched while another replica's lease is live. Counted in
 * {@code agent_forwarded_requests_total{operation,outcome}}.
 */
@Component
class AgentForwarding {

    private static final Logger log = LoggerFactory.getLogger(AgentForwarding.class);
    static final String AGENTS = dev.agentapi.replica.ReplicaSignature.PATH_PREFIX + "agents/";

    /**
     * An action's result as one replica hands it to another ({@code data} base64 on the wire: Jackson writes and
     * reads a {@code byte[]} that way, without a string copy of it).
     */
    record ForwardedResult(String url, String title, String text, String html, byte[] data, String mediaType,
                           Map<String, Object> fields) {

        static ForwardedResult of(ActionResult result) {
            return new ForwardedResult(result.url(), result.title(), result.text(), result.html(), result.data(), result.mediaType(),
                    result.fields());
        }

        ActionResult result() {
            return new ActionResult(url, title, text, html, data, mediaType, fields);
        }
    }

    private final ReplicaClient client;
    private final CurrentActor currentActor;
    private final JsonMapper json;
    private final MeterRegistry meters;

    AgentForwarding(ReplicaClient client, CurrentActor currentActor, JsonMapper json, MeterRegistry meters) {
        this.client = client;
        this.currentActor = currentActor;
        this.json = json;
        this.meters = meters;
    }

    ActionResult act(AgentLeases.Holder holder, String agentId, BrowserAction action) {
        byte[] body = json.writerFor(BrowserAction.class).writeValueAsBytes(action);
        ReplicaClient.Reply reply = send(holder, "action", "POST", AGENTS + agentId + "/actions", body);
        return json.readValue(reply.body(), ForwardedResult.class).result();
    }

    void delete(AgentLeases.Holder holder, String agentId) {
        send(holder, "delete", "DELETE", AGENTS + agentId, null);
    }

    /** The caller as the holder will act for it, encoded for the signed header. */
    String encodeActor(Actor actor) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.writeValueAsBytes(actor));
    }

    Actor decodeActor(String encoded) {
        return json.readValue(Base64.getUrlDecoder().decode(encoded), Actor.class);
    }

    private ReplicaClient.Reply send(AgentLeases.Holder holder, String operation, String method, String path, byte[] body) {
        ReplicaClient.Reply reply;
        try {
            reply = client.send(holder.url(), holder.replicaId(), method, path, encodeActor(currentActor.get()), body,
                    MDC.get("request_id"));
        } catch (ReplicaClient.Unreachable unreachable) {
            count(operation, unreachable.timedOut() ? "timeout" : "unreachable");
            log.warn("Replica {} holding an agent's browser did not answer: {}", holder.replicaId(), unreachable.getMessage());
            throw unreachable.timedOut() ? AgentProblems.holderTimedOut() : AgentProblems.holderUnreachable(retryAfterSeconds(holder));
        }
        count(operation, reply.status() < 400 ? "answered" : "refused");
        if (reply.status() >= 400) {
            throw new ForwardedProblem(reply.status(), problem(reply), reply.header(HttpHeaders.RETRY_AFTER).orElse(null));
        }
        return reply;
    }

    /** The holder's problem as its client will see it: what the replica added for itself (its path) left out. */
    private ProblemDetail problem(ReplicaClient.Reply reply) {
        HttpStatusCode status = HttpStatusCode.valueOf(reply.status());
        ProblemDetail problem = ProblemDetail.forStatus(status);
        try {
            Map<String, Object> fields = json.readValue(reply.body(), LinkedHashMap.class);
            fields.forEach((name, value) -> {
                switch (name) {
                    case "type" -> problem.setType(URI.create(String.valueOf(value)));
                    case "title" -> problem.setTitle(String.valueOf(value));
                    case "detail" -> problem.setDetail(String.valueOf(value));
                    case "status", "instance" -> { }
                    default -> problem.setProperty(name, value);
                }
            });
        } catch (RuntimeException unreadable) {
            problem.setDetail(new String(reply.body(), StandardCharsets.UTF_8));
        }
        return problem;
    }

    private void count(String operation, String outcome) {
        Counter.builder("agent_forwarded_requests").description("Requests about agents forwarded to the replica holding their browser")
                .tag("operation", operation).tag("outcome", outcome).register(meters).increment();
    }

    private static long retryAfterSeconds(AgentLeases.Holder holder) {
        return Math.max(1, holder.remaining().toSeconds() + 1);
    }

    /** The holder's own answer, passed on as it was. */
    static final class ForwardedProblem extends ErrorResponseException {
        ForwardedProblem(int status, ProblemDetail body, String retryAfter) {
            super(HttpStatusCode.valueOf(status), body, null);
            if (retryAfter != null) {
                getHeaders().set(HttpHeaders.RETRY_AFTER, retryAfter);
            }
        }
    }
}

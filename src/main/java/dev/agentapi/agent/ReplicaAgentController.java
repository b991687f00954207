package dev.agentapi.agent;

import dev.agentapi.audit.AuditRefusals;
import dev.agentapi.browser.BrowserAction;
import dev.agentapi.replica.ReplicaIdentity;
import dev.agentapi.replica.ReplicaSignature;
import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where another replica sends requests about the agents whose browser this replica holds (see
 * {@link AgentForwarding}). Only a request signed with the replicas' shared secret, fresh and not seen
 * before, is served, as the caller it names: ownership checks, limits and the audit apply to that caller
 * as if it had come here directly. They are served by this replica's node ({@link LocalAgentNode}), which
 * sends nothing on: a request for an agent whose browser another replica holds by now answers 503. Not part of
 * the public API.
 */
@Hidden
@RestController
@RequestMapping(ReplicaSignature.PATH_PREFIX + "agents")
class ReplicaAgentController {

    private final AgentService agents;
    private final ReplicaSignature signature;
    private final AgentForwarding forwarding;
    private final CurrentActor currentActor;
    private final JsonMapper json;
    private final MeterRegistry meters;

    private final AuditRefusals refusals;
    private final ReplicaIdentity self;

    ReplicaAgentController(AgentService agents, ReplicaSignature signature, AgentForwarding forwarding,
                           CurrentActor currentActor, JsonMapper json, MeterRegistry meters, AuditRefusals refusals,
                           ReplicaIdentity self) {
        this.self = self;
        this.refusals = refusals;
        this.agents = agents;
        this.signature = signature;
        this.forwarding = forwarding;
        this.currentActor = currentActor;
        this.json = json;
        this.meters = meters;
    }

    // the headers are checked first; only then is the body read (raw: the signature covers its bytes), then parsed
    @PostMapping(path = "/{agentId}/actions", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<AgentForwarding.ForwardedResult> act(@PathVariable String agentId, HttpServletRequest request) throws IOException {
        ReplicaSignature.Signed signed = signedFor(request);
        byte[] body = request.getInputStream().readAllBytes();
        Actor actor = verified(request, signed, body);
        BrowserAction action;
        try {
            action = json.readValue(body, BrowserAction.class);
        } catch (RuntimeException malformed) {
            throw AgentProblems.invalid(Map.of("type", "not a browser action"));
        }
        return ResponseEntity.ok(AgentForwarding.ForwardedResult.of(currentActor.runAs(actor, () -> agents.actForwarded(agentId, action))));
    }

    @DeleteMapping(path = "/{agentId}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<AgentResponses.Deleted> delete(@PathVariable String agentId, HttpServletRequest request) throws IOException {
        ReplicaSignature.Signed signed = signedFor(request);
        Actor actor = verified(request, signed, request.getInputStream().readAllBytes());
        currentActor.runAs(actor, () -> {
            agents.deleteForwarded(agentId);
            return null;
        });
        return ResponseEntity.ok(new AgentResponses.Deleted(agentId));
    }

    /**
     * The first check, on the headers alone (time, nonce, the replica it is meant for, the signature), before a byte of
     * the body is read; anything else is refused (401) and audited.
     */
    private ReplicaSignature.Signed signedFor(HttpServletRequest request) {
        Map<String, String> headers = new HashMap<>();
        for (String name : ReplicaSignature.HEADERS) {
            String value = request.getHeader(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        Optional<ReplicaSignature.Signed> signed = signature.verifyHeaders(request.getMethod(), request.getRequestURI(), headers,
                self.id());
        if (signed.isEmpty()) {
            throw refused(request);
        }
        return signed.get();
    }

    /** The caller a correctly signed request acts for, once its body is the one signed. */
    private Actor verified(HttpServletRequest request, ReplicaSignature.Signed signed, byte[] body) {
        Optional<Actor> actor = Optional.of(signed).filter(s -> s.covers(body)).flatMap(s -> decode(s.actor()));
        if (actor.isEmpty()) {
            throw refused(request);
        }
        Counter.builder("agent_forwarded_received").description("Requests forwarded here by other replicas")
                .tag("outcome", "accepted").register(meters).increment();
        return actor.get();
    }

    /** Counted and audited (with the address it came from), and answered 401. */
    private ErrorResponseException refused(HttpServletRequest request) {
        Counter.builder("agent_forwarded_received").description("Requests forwarded here by other replicas")
                .tag("outcome", "refused").register(meters).increment();
        Actor caller = currentActor.get(); // nobody known: the address the request came from
        refusals.count("replica.bad_signature", "route", request.getMethod() + " " + request.getRequestURI(), caller.userId(),
                caller.ipAddress(), () -> caller, Map.of("from", String.valueOf(request.getHeader(ReplicaSignature.FROM))));
        return unsigned();
    }

    private Optional<Actor> decode(String encoded) {
        try {
            return Optional.of(forwarding.decodeActor(encoded));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static ErrorResponseException unsigned() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
                "This route serves other replicas only, with a valid signature");
        problem.setType(URI.create("urn:agent-api:problem:replica-signature"));
        problem.setTitle("Unauthorized");
        return new ErrorResponseException(HttpStatus.UNAUTHORIZED, problem, null);
    }
}

package dev.agentapi.agent;

import dev.agentapi.audit.AuditAction;
import dev.agentapi.audit.AuditRecord;
import dev.agentapi.audit.AuditTrail;
import dev.agentapi.cache.AgentCache;
import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import dev.agentapi.telemetry.Telemetry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates, reads, changes and deletes browser agents. Every change commits together with its audit
 * entry; a change that fails leaves no trace but a failure entry in the audit trail.
 */
@Service
public class AgentService {

    static final int MAX_CONFIG_BYTES = 16 * 1024;
    static final String RESOURCE = "browser_agent";
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};

    private final BrowserAgentRepository agents;
    private final AuditTrail audit;
    private final CurrentActor currentActor;
    private final JsonMapper json;
    private final Telemetry telemetry;
    private final AgentCache cache;
    private final TransactionTemplate transaction;
    private final TransactionTemplate readOnly;

    public AgentService(BrowserAgentRepository agents, AuditTrail audit, CurrentActor currentActor, JsonMapper json,
                        Telemetry telemetry, AgentCache cache, PlatformTransactionManager transactions) {
        this.telemetry = telemetry;
        this.cache = cache;
        this.agents = agents;
        this.audit = audit;
        this.currentActor = currentActor;
        this.json = json;
        this.transaction = new TransactionTemplate(transactions);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    public AgentView create(CreateAgentRequest request) {
        AgentSpec spec = AgentSpec.of(request);
        String id = request.agentId() != null ? request.agentId() : AgentIds.generate();
        String config = configJson(request.config());
        AuditRecord attempt = new AuditRecord("agent.create", AuditAction.CREATE, RESOURCE, id,
                Map.of("channel", spec.channel().value(), "headless", spec.headless()), null, null);
        Actor actor = currentActor.get();
        AgentView created = audited(attempt, () -> {
            if (agents.existsById(id)) {
                throw AgentProblems.alreadyExists(id);
            }
            BrowserAgent agent = new BrowserAgent(id, spec.channel(), spec.headless(), config,
                    actor.userId(), request.userAgent(), spec.width(), spec.height(), now());
            try {
                agents.saveAndFlush(agent);
            } catch (DataIntegrityViolationException raced) {
                throw AgentProblems.alreadyExists(id);
            }
            AgentView view = view(agent);
            audit.recordSuccess(new AuditRecord(attempt.eventType(), attempt.action(), RESOURCE, id,
                    attempt.details(), null, view));
            return view;
        });
        cacheView(created);
        telemetry.event("agent.created", Map.of("agent_id", id, "channel", created.channel().value(),
                "headless", String.valueOf(created.headless()), "user_id", String.valueOf(created.createdBy())));
        return created;
    }

    /** Reads through the cache: a hit costs no database round trip. */
    public AgentView get(String agentId) {
        if (!AgentIds.isWellFormed(agentId)) {
            throw AgentProblems.notFound(agentId);
        }
        Optional<AgentView> cached = cache.get(agentId).flatMap(entry -> {
            if (entry.deleted()) {
                throw AgentProblems.notFound(agentId);
            }
            return parse(entry.json());
        });
        if (cached.isPresent()) {
            if (!currentActor.get().mayAccess(cached.get().createdBy())) {
                throw AgentProblems.notFound(agentId);
            }
            return cached.get();
        }
        AgentView view = readOnly.execute(status -> view(find(agentId)));
        cacheView(view);
        return view;
    }

    private Optional<AgentView> parse(String cachedJson) {
        try {
            return Optional.of(json.readValue(cachedJson, AgentView.class));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private void cacheView(AgentView view) {
        cache.put(view.agentId(), view.version(), json.writeValueAsString(view));
    }

    /** One page of the caller's agents (every agent, for an admin), newest first. */
    public AgentResponses.Listing list(AgentStatus status, int page, int size) {
        PageRequest request = PageRequest.of(page, size, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.asc("id")));
        Actor actor = currentActor.get();
        return readOnly.execute(tx -> {
            Page<BrowserAgent> found;
            if (actor.admin()) {
                found = status == null ? agents.findByDeletedAtIsNull(request)
                        : agents.findByStatusAndDeletedAtIsNull(status, request);
            } else {
                found = status == null ? agents.findByCreatedByAndDeletedAtIsNull(actor.userId(), request)
                        : agents.findByCreatedByAndStatusAndDeletedAtIsNull(actor.userId(), status, request);
            }
            List<AgentView> views = found.getContent().stream().map(this::view).toList();
            return new AgentResponses.Listing(views, views.size(), page, size, found.getTotalElements());
        });
    }

    /** Agents whose browser is starting or running (none until browsers run). */
    public long countActive() {
        return readOnly.execute(tx -> agents.countByStatusInAndDeletedAtIsNull(List.of(AgentStatus.STARTING, AgentStatus.RUNNING)));
    }

    /**
     * Applies a partial update. {@code ifMatchVersion} comes from an {@code If-Match} header and
     * answers 412 when stale; a stale {@code version} in the body answers 409.
     */
    public AgentView update(String agentId, UpdateAgentRequest request, Long ifMatchVersion) {
        String config = request.config() == null ? null : configJson(request.config());
        Integer width = request.viewport() == null ? null : request.viewport().width();
        Integer height = request.viewport() == null ? null : request.viewport().height();
        AuditRecord attempt = new AuditRecord("agent.update", AuditAction.UPDATE, RESOURCE, agentId,
                Map.of("fields", changedFields(request)), null, null);
        AgentView updated = audited(attempt, () -> {
            BrowserAgent agent = find(agentId);
            long current = agent.getVersion();
            if (ifMatchVersion != null && ifMatchVersion != current) {
                throw AgentProblems.preconditionFailed(agentId, current);
            }
            if (request.version() != null && request.version() != current) {
                throw AgentProblems.versionMismatch(agentId, request.version(), current);
            }
            AgentView before = view(agent);
            agent.reconfigure(config, request.headless(), width, height, now());
            try {
                agents.saveAndFlush(agent);
            } catch (OptimisticLockingFailureException raced) {
                throw AgentProblems.concurrentUpdate(agentId);
            }
            AgentView after = view(agent);
            audit.recordSuccess(new AuditRecord(attempt.eventType(), attempt.action(), RESOURCE, agentId,
                    attempt.details(), before, after));
            return after;
        });
        cacheView(updated);
        telemetry.event("agent.updated", Map.of("agent_id", agentId, "fields", String.join(",", changedFields(request)),
                "version", String.valueOf(updated.version())));
        return updated;
    }

    public void delete(String agentId) {
        AuditRecord attempt = new AuditRecord("agent.delete", AuditAction.DELETE, RESOURCE, agentId, null, null, null);
        long deletedVersion = audited(attempt, () -> {
            BrowserAgent agent = find(agentId);
            AgentView before = view(agent);
            agent.markDeleted(now());
            try {
                agents.saveAndFlush(agent);
            } catch (OptimisticLockingFailureException raced) {
                throw AgentProblems.concurrentUpdate(agentId);
            }
            audit.recordSuccess(new AuditRecord(attempt.eventType(), attempt.action(), RESOURCE, agentId,
                    null, before, null));
            return agent.getVersion();
        });
        cache.remove(agentId, deletedVersion);
        telemetry.event("agent.deleted", Map.of("agent_id", agentId));
    }

    /** Runs a change in one transaction; if it fails, records the failure in a transaction of its own. */
    private <T> T audited(AuditRecord attempt, Supplier<T> change) {
        try {
            return transaction.execute(status -> change.get());
        } catch (RuntimeException failure) {
            audit.recordFailure(attempt, describe(failure));
            throw failure;
        }
    }

    private static String describe(RuntimeException failure) {
        if (failure instanceof ErrorResponseException problem && problem.getBody().getDetail() != null) {
            return problem.getBody().getDetail();
        }
        return failure.getClass().getSimpleName();
    }

    /** PostgreSQL keeps microseconds; answering with the same precision makes a read equal the create. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** The agent, if it exists and the caller may see it; another user's agent is as absent as a missing one. */
    private BrowserAgent find(String agentId) {
        if (!AgentIds.isWellFormed(agentId)) {
            throw AgentProblems.notFound(agentId);
        }
        Actor actor = currentActor.get();
        return agents.findByIdAndDeletedAtIsNull(agentId)
                .filter(agent -> actor.mayAccess(agent.getCreatedBy()))
                .orElseThrow(() -> AgentProblems.notFound(agentId));
    }

    private String configJson(Map<String, Object> config) {
        String value = json.writeValueAsString(config == null ? Map.of() : config);
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_CONFIG_BYTES) {
            throw AgentProblems.invalid(Map.of("config", "must be at most 16 KiB of JSON"));
        }
        return value;
    }

    private static List<String> changedFields(UpdateAgentRequest request) {
        Map<String, Object> present = new LinkedHashMap<>();
        present.put("config", request.config());
        present.put("headless", request.headless());
        present.put("viewport", request.viewport());
        return present.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList();
    }

    AgentView view(BrowserAgent agent) {
        return new AgentView(agent.getId(), agent.getStatus(), agent.getChannel(), agent.isHeadless(),
                json.readValue(agent.getConfig(), JSON_OBJECT),
                new AgentView.Viewport(agent.getViewportWidth(), agent.getViewportHeight()),
                agent.getUserAgent(), agent.getCreatedBy(), agent.getCreatedAt(), agent.getUpdatedAt(),
                agent.getTotalActions(), agent.getTotalErrors(), agent.getLastActionAt(),
                agent.getVersion() == null ? 0 : agent.getVersion());
    }
}

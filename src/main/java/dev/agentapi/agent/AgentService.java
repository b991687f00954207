package dev.agentapi.agent;

import dev.agentapi.audit.AuditAction;
import dev.agentapi.audit.AuditRecord;
import dev.agentapi.audit.AuditRefusals;
import dev.agentapi.audit.AuditTrail;
import dev.agentapi.browser.ActionResult;
import dev.agentapi.browser.BrowserAction;
import dev.agentapi.browser.BrowserActionRules;
import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.hibernate.exception.ConstraintViolationException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates, reads, changes and deletes browser agents. Every change commits together with its audit
 * entry; a change that fails leaves no trace but a failure entry in the audit trail.
 */
@Service
public class AgentService {

    static final int MAX_CONFIG_BYTES = 16 * 1024;
    static final String RESOURCE = "browser_agent";
    private static final String PRIMARY_KEY = "browser_agents_pkey";
    private static final String UNIQUE_VIOLATION = "23505";

    private final BrowserAgentRepository agents;
    private final AuditTrail audit;
    private final AuditRefusals refusals;
    private final CurrentActor currentActor;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final AgentViews views;
    private final AgentBrowsers browsers;
    private final AgentLifecycle lifecycle;
    private final AgentListing listing;
    private final BrowserActionRules actionRules;
    private final TransactionTemplate transaction;
    private final TransactionTemplate readOnly;
    private final AgentNodes nodes;

    AgentService(BrowserAgentRepository agents, AuditTrail audit, CurrentActor currentActor, JsonMapper json,
                 ApplicationEventPublisher events, AgentViews views, AgentBrowsers browsers,
                 AgentLifecycle lifecycle, AgentListing listing, BrowserActionRules actionRules,
                 PlatformTransactionManager transactions, AgentNodes nodes, AuditRefusals refusals) {
        this.nodes = nodes;
        this.refusals = refusals;
        this.lifecycle = lifecycle;
        this.listing = listing;
        this.actionRules = actionRules;
        this.agents = agents;
        this.audit = audit;
        this.currentActor = currentActor;
        this.json = json;
        this.events = events;
        this.views = views;
        this.browsers = browsers;
        this.transaction = new TransactionTemplate(transactions);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /** Stores the agent, then launches its browser; the answer reports the real status ({@code running} or {@code error}). */
    public AgentView create(CreateAgentRequest request) {
        String config = configJson(request.config());
        AgentSpec spec = AgentSpec.of(request);
        String id = request.agentId() != null ? request.agentId() : AgentIds.generate();
        Actor actor = currentActor.get();
        AuditRecord attempt = new AuditRecord("agent.create", AuditAction.CREATE, RESOURCE, id,
                Map.of("channel", spec.channel().value(), "headless", spec.headless()), null, null);
        boolean launch = request.launch() != null ? request.launch() : browsers.launchOnCreate();
        if (launch) {
            audited(attempt, () -> {
                browsers.admit(spec); // the owner's browser quota is counted where the agent is stored starting
                return null;
            });
        }
        AgentView stored = audited(attempt, () -> transaction.execute(status -> {
            if (agents.existsById(id)) {
                throw AgentProblems.alreadyExists(id);
            }
            BrowserAgent agent = new BrowserAgent(id, spec.channel(), spec.headless(), config,
                    actor.userId(), request.userAgent(), spec.width(), spec.height(), AgentLifecycle.now());
            try {
                return lifecycle.created(agent, launch, attempt);
            } catch (DataIntegrityViolationException refused) {
                if (idTaken(refused)) {
                    throw AgentProblems.alreadyExists(id);
                }
                throw refused;
            }
        }));
        AgentView started = launch ? Optional.ofNullable(browsers.start(stored)).orElse(stored) : stored;
        events.publishEvent(new AgentChange.Observed("agent.created", Map.of("agent_id", id, "channel", started.channel().value(),
                "effective_channel", started.effectiveChannel() == null ? "" : started.effectiveChannel().value(),
                "headless", String.valueOf(started.headless()), "status", started.status().value(),
                "user_id", String.valueOf(started.createdBy()), "persisted", "true")));
        return started;
    }

    /** Reads through the cache: a hit costs no database round trip. */
    public AgentView get(String agentId) {
        return read(agentId).view();
    }

    /** {@link #get}, with the agent's JSON: a cache hit answers with the cached bytes, neither decoded nor encoded again. */
    AgentJson read(String agentId) {
        if (!AgentIds.isWellFormed(agentId)) {
            throw AgentProblems.notFound(agentId);
        }
        Optional<AgentJson> cached = views.cached(agentId);
        // another owner's cached agent takes the path of a missing one (the same query, the same answer
        // in an outage), so neither the answer nor its cost tells that the agent exists
        if (cached.isPresent() && currentActor.get().mayAccess(cached.get().view().createdBy())) {
            return cached.get();
        }
        AgentView view = readOnly.execute(status -> views.of(find(agentId)));
        return views.cache(view);
    }

    /**
     * One page of the caller's agents (every agent, for an admin), newest first: the page after
     * {@code cursor} when one is given, else page number {@code page}. See {@link AgentListing}.
     */
    public AgentResponses.Listing list(AgentStatus status, Integer page, String cursor, int size, boolean exactTotal) {
        ListCursor from = cursor == null ? null : ListCursor.decode(cursor);
        Actor actor = currentActor.get();
        AgentListing.Filter filter = new AgentListing.Filter(actor.admin() ? null : actor.userId(), status);
        return readOnly.execute(tx -> {
            AgentListing.Page found = from != null || page == null ? listing.after(filter, from, size)
                    : listing.numbered(filter, page, size);
            AgentListing.Total total = from == null && page != null && found.next() == null && (page == 0 || !found.agents().isEmpty())
                    ? new AgentListing.Total((long) page * size + found.agents().size(), true) // the last page: nothing left to count
                    : listing.total(filter, exactTotal);
            List<AgentResponses.ListedAgent> listed = found.agents().stream().map(AgentResponses.ListedAgent::new).toList();
            return new AgentResponses.Listing(listed, listed.size(), from == null ? (page == null ? 0 : page) : null, size,
                    total.value(), total.exact(), found.next() == null ? null : found.next().encode());
        });
    }

    /** Agents whose browser is starting or running. */
    public long countActive() {
        return readOnly.execute(tx -> agents.countByStatusInAndDeletedAtIsNull(List.of(AgentStatus.STARTING, AgentStatus.RUNNING)));
    }

    /**
     * Applies a partial update. {@code ifMatchVersion} comes from an {@code If-Match} header and
     * answers 412 when stale; a stale {@code version} in the body answers 409. Browser settings
     * (headless, viewport) apply from the browser's next launch.
     */
    public AgentView update(String agentId, UpdateAgentRequest request, Long ifMatchVersion) {
        AgentSpec.downloads(request.config()); // refused (400) before anything is written when not a boolean
        String config = request.config() == null ? null : configJson(request.config());
        Integer width = request.viewport() == null ? null : request.viewport().width();
        Integer height = request.viewport() == null ? null : request.viewport().height();
        AuditRecord attempt = new AuditRecord("agent.update", AuditAction.UPDATE, RESOURCE, agentId,
                Map.of("fields", changedFields(request)), null, null);
        AgentView updated = audited(attempt, () -> transaction.execute(status -> {
            BrowserAgent agent = find(agentId);
            long current = agent.getVersion();
            if (ifMatchVersion != null && ifMatchVersion != current) {
                throw AgentProblems.preconditionFailed(agentId, current);
            }
            if (request.version() != null && request.version() != current) {
                throw AgentProblems.versionMismatch(agentId, request.version(), current);
            }
            AgentView before = views.of(agent);
            agent.reconfigure(config, request.headless(), width, height, AgentLifecycle.now());
            try {
                agents.saveAndFlush(agent);
            } catch (OptimisticLockingFailureException raced) {
                throw AgentProblems.concurrentUpdate(agentId);
            }
            AgentView after = views.of(agent);
            audit.recordSuccess(new AuditRecord(attempt.eventType(), attempt.action(), RESOURCE, agentId,
                    attempt.details(), before, after));
            events.publishEvent(new AgentChange.Stored(after));
            events.publishEvent(new AgentChange.Observed("agent.updated", Map.of("agent_id", agentId,
                    "fields", String.join(",", changedFields(request)), "version", String.valueOf(after.version()))));
            return after;
        }));
        return updated;
    }

    /**
     * Closes the agent's browser, then soft-deletes it, wherever the browser lives: here, or on the replica
     * holding it, which does the delete (see {@link AgentNodes}).
     */
    public void delete(String agentId) {
        deletable(agentId);
        nodes.holding(agentId).delete(agentId);
    }

    /**
     * A delete another replica forwarded here, as its caller: done by this replica's node, never sent on (503
     * when another replica holds the agent's browser by now).
     */
    void deleteForwarded(String agentId) {
        deletable(agentId);
        servedHere(deleteAttempt(agentId), () -> {
            nodes.here(agentId).delete(agentId);
            return null;
        });
    }

    /**
     * Runs one browser action for the caller's agent, wherever its browser lives: here (launching it when it does
     * not run anywhere), or on the replica holding it (see {@link AgentNodes}). A launch here that loses the
     * agent's lease to another replica's sends the action there instead; a request crosses at most one hop. A
     * screenshot or PDF is kept as the agent's last one by the replica that ran the action, once, with the action's
     * counters ({@link AgentLifecycle#actionRecorded}).
     */
    public ActionResult act(String agentId, BrowserAction action) {
        AgentView agent = actionable(agentId, action);
        ActionResult result;
        try {
            result = nodes.holding(agentId).act(agent, action);
        } catch (OwnedElsewhere raced) { // only this replica's node fails so: the browser was launched there meanwhile
            result = nodes.remote(raced.holder()).act(agent, action);
        }
        return result;
    }

    /**
     * An action another replica forwarded here, as its caller: run by this replica's node, never sent on (503 when
     * another replica holds the agent's browser by now).
     */
    ActionResult actForwarded(String agentId, BrowserAction action) {
        AgentView agent = actionable(agentId, action);
        return servedHere(actionAttempt(agentId, action), () -> nodes.here(agentId).act(agent, action));
    }

    static AuditRecord actionAttempt(String agentId, BrowserAction action) {
        return new AuditRecord("agent.action", AuditAction.EXECUTE, RESOURCE, agentId, Map.of("type", action.type()), null, null);
    }

    static AuditRecord deleteAttempt(String agentId) {
        return new AuditRecord("agent.delete", AuditAction.DELETE, RESOURCE, agentId, null, null, null);
    }

    /** Refuses (404, audited) an agent the caller may not see, or that is gone. */
    private void deletable(String agentId) {
        audited(deleteAttempt(agentId), () -> readOnly.execute(status -> find(agentId)));
    }

    /**
     * The agent, when the action keeps its rules and the caller may see the agent. An action that breaks its
     * rules is refused (400) here too, for callers that do not come through the controller's {@code @Valid}.
     */
    private AgentView actionable(String agentId, BrowserAction action) {
        Map<String, String> violations = actionRules.violations(action);
        if (!violations.isEmpty()) {
            throw AgentProblems.invalid(violations);
        }
        return get(agentId);
    }

    /**
     * Serves a forwarded request in this replica; when the agent's browser turns out to be another replica's, the
     * request is refused (503, retry after the lease's remaining time) and the refusal audited here.
     */
    private <T> T servedHere(AuditRecord attempt, Supplier<T> request) {
        try {
            return request.get();
        } catch (OwnedElsewhere moved) {
            return audited(attempt, () -> {
                throw AgentProblems.holderMoved(Math.max(1, moved.holder().remaining().toSeconds() + 1));
            });
        }
    }

    /** Runs a step; if it fails, records the failure in a transaction of its own. */
    private <T> T audited(AuditRecord attempt, Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException failure) {
            audit.recordFailure(attempt, AgentProblems.describe(failure));
            throw failure;
        }
    }

    /** The agent, if it exists and the caller may see it; another owner's agent is as absent as a missing one. */
    private BrowserAgent find(String agentId) {
        if (!AgentIds.isWellFormed(agentId)) {
            throw AgentProblems.notFound(agentId);
        }
        Actor actor = currentActor.get();
        // a user's lookup names the owner, so another owner's agent is not even read: it and a missing
        // one are the same query with the same (empty) result
        Optional<BrowserAgent> found = actor.admin() ? agents.findByIdAndDeletedAtIsNull(agentId)
                : agents.findByIdAndCreatedByAndDeletedAtIsNull(agentId, actor.userId());
        if (found.isEmpty() && !actor.admin() && agents.findOwnerById(agentId).isPresent()) {
            // another owner's agent probed: the same 404, audited (a missing agent pays the same second query)
            refusals.count("agent.probed", RESOURCE, agentId, actor.userId(), actor.ipAddress(), () -> actor, Map.of());
        }
        return found.orElseThrow(() -> AgentProblems.notFound(agentId));
    }

    /** The config as stored, refused (400) before anything is written when it is too deep, too big or holds a NUL. */
    private String configJson(Map<String, Object> config) {
        AgentConfigRules.violation(config).ifPresent(violation -> {
            throw AgentProblems.invalid(Map.of("config", violation));
        });
        String value = json.writeValueAsString(config == null ? Map.of() : config);
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_CONFIG_BYTES) {
            throw AgentProblems.invalid(Map.of("config", "must be at most 16 KiB of JSON"));
        }
        return value;
    }

    /**
     * A unique violation (SQLSTATE 23505) of the primary key: a concurrent create took the id first.
     * Any other refusal is not "already exists". Hibernate reads the constraint name from the server's
     * message, which a localised server words differently; the primary key is the table's only unique
     * constraint, so an unnamed unique violation is the key too.
     */
    private static boolean idTaken(DataIntegrityViolationException refused) {
        for (Throwable t = refused; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConstraintViolationException violation) {
                return UNIQUE_VIOLATION.equals(violation.getSQLState())
                        && (violation.getConstraintName() == null || PRIMARY_KEY.equalsIgnoreCase(violation.getConstraintName()));
            }
        }
        return false;
    }

    private static List<String> changedFields(UpdateAgentRequest request) {
        Map<String, Object> present = new LinkedHashMap<>();
        present.put("config", request.config());
        present.put("headless", request.headless());
        present.put("viewport", request.viewport());
        return present.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList();
    }
}

package dev.agentapi.agent;

import dev.agentapi.browser.BrowserEvent;
import dev.agentapi.browser.BrowserRuntime;
import dev.agentapi.browser.BrowserState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Agents' saved browser state: what a browser held when it stopped for a reason the service controls (idle close,
 * shutdown hand-back) and, while it runs, every {@code AGENT_STATE_SAVE_INTERVAL} when it changed
 * ({@link AgentStateSaver}); restored when the agent's browser is launched again, here or on another replica
 * ({@link AgentBrowsers}). Sealed at rest ({@link AgentStateCipher}), at most {@code AGENT_STATE_MAX_SIZE} per agent (a
 * larger one is not saved: counted, and noted on the row for the state route to report), deleted with the agent
 * (in the delete's transaction). An agent whose config says {@code "persist_state": false} keeps none.
 * <p>
 * Nothing of a state's content is logged, audited or sent as telemetry: only sizes and counts.
 */
@Service
class AgentStates {

    /** This listener's order on a stopped browser: its state is saved before the agent's status says so. */
    static final int BEFORE_STATUS = 0;

    /** The config key that opts an agent out of saved state. */
    static final String PERSIST_STATE = "persist_state";

    private static final Logger log = LoggerFactory.getLogger(AgentStates.class);

    /** What came of a save. */
    enum Outcome { SAVED, UNCHANGED, OVER_CAP, OPTED_OUT, SUPERSEDED, GONE, FAILED }

    /** The save reason of a state a client put: the browser running since then does not overwrite it. */
    static final String REPLACED = "replaced";

    private final AgentSavedStateRepository states;
    private final BrowserAgentRepository agents;
    private final AgentViews views;
    private final AgentStateCipher cipher;
    private final JsonMapper json;
    private final BrowserRuntime runtime;
    private final TransactionTemplate transaction;
    private final MeterRegistry meters;
    private final long maxBytes;
    /** The content hash this replica last saved (or found unchanged) per agent: an unchanged state costs no query. */
    private final Map<String, byte[]> lastSaved = new ConcurrentHashMap<>();
    /** When each browser held here was launched: a state a client put after that is not overwritten by it. */
    private final Map<String, java.time.Instant> launchedAt = new ConcurrentHashMap<>();

    AgentStates(AgentSavedStateRepository states, BrowserAgentRepository agents, AgentViews views, AgentStateCipher cipher,
                JsonMapper json, BrowserRuntime runtime, PlatformTransactionManager transactions, MeterRegistry meters,
                AgentStateProperties properties) {
        this.states = states;
        this.agents = agents;
        this.views = views;
        this.cipher = cipher;
        this.json = json;
        this.runtime = runtime;
        this.transaction = new TransactionTemplate(transactions);
        this.meters = meters;
        this.maxBytes = properties.maxSize().toBytes();
    }

    /** Whether the agent's config lets it keep its state (anything but {@code "persist_state": false}). */
    static boolean persists(Map<String, Object> config) {
        return config == null || !Boolean.FALSE.equals(config.get(PERSIST_STATE));
    }

    /** The largest state kept per agent, in bytes of its JSON. */
    long maxBytes() {
        return maxBytes;
    }

    /** The agent's browser was launched here now (from its saved state, if it had one). */
    void launched(String agentId) {
        launchedAt.put(agentId, AgentLifecycle.now());
        lastSaved.remove(agentId);
    }

    /** Saves what the agent's browser here holds now, just before it is closed for {@code reason}; best effort. */
    Outcome saveBeforeClose(String agentId, String reason) {
        return runtime.capture(agentId).map(state -> save(agentId, state, reason)).orElse(Outcome.FAILED);
    }

    /** The runtime closed the browser on its own (idle, hibernation): what it read just before is saved. */
    @EventListener
    @Order(BEFORE_STATUS)
    void on(BrowserEvent.Stopped stopped) {
        if (stopped.state() != null) {
            save(stopped.agentId(), stopped.state(), stopped.reason());
        }
    }

    /** The agent is being deleted (soft): its state goes in the same transaction. */
    @EventListener
    void on(AgentChange.Removed removed) {
        states.deleteByAgent(removed.agentId());
        lastSaved.remove(removed.agentId());
        launchedAt.remove(removed.agentId());
    }

    /** Saves a browser's state for {@code reason} unless it is unchanged, over the cap, or the agent opted out; never throws. */
    Outcome save(String agentId, BrowserState state, String reason) {
        Outcome outcome;
        try {
            outcome = store(agentId, json.writeValueAsBytes(BrowserStateJson.fromBrowser(state)), reason);
        } catch (RuntimeException e) {
            // the exception's class only: a message could quote what was being written
            log.warn("Could not save the browser state of agent {}: {}", agentId, e.getClass().getSimpleName());
            outcome = Outcome.FAILED;
        }
        count("agent_state_saves", outcome);
        return outcome;
    }

    /**
     * Stores {@code plaintext} (a {@link SavedBrowserState}'s JSON) as the agent's state, sealed; for a save and for a
     * client's replacement alike.
     */
    Outcome store(String agentId, byte[] plaintext, String reason) {
        byte[] hash = cipher.contentHash(agentId, plaintext);
        boolean replacing = REPLACED.equals(reason);
        if (!replacing && Arrays.equals(hash, lastSaved.get(agentId))) {
            return Outcome.UNCHANGED;
        }
        Outcome outcome = transaction.execute(status -> {
            if (states.lockLiveAgent(agentId).isEmpty()) {
                return Outcome.GONE;
            }
            Optional<BrowserAgent> agent = agents.findByIdAndDeletedAtIsNull(agentId);
            if (agent.isEmpty()) {
                return Outcome.GONE;
            }
            if (!persists(views.of(agent.get()).config())) {
                states.deleteByAgent(agentId);
                return Outcome.OPTED_OUT;
            }
            AgentSavedState row = states.findById(agentId).orElseGet(() -> new AgentSavedState(agentId));
            if (plaintext.length > maxBytes) {
                row.skipped(plaintext.length, AgentLifecycle.now());
                states.save(row);
                return Outcome.OVER_CAP;
            }
            if (!replacing && REPLACED.equals(row.getSaveReason()) && row.getSavedAt() != null
                    && !row.getSavedAt().isBefore(launchedAt.getOrDefault(agentId, java.time.Instant.EPOCH))) {
                return Outcome.SUPERSEDED; // a client put this state after the browser started: it waits for the next launch
            }
            if (row.holdsState() && cipher.keyId().equals(row.getKeyId()) && Arrays.equals(hash, row.getContentHash())) {
                return Outcome.UNCHANGED;
            }
            row.store(cipher.seal(agentId, plaintext), hash, plaintext.length, reason, AgentLifecycle.now());
            states.save(row);
            return Outcome.SAVED;
        });
        if ((outcome == Outcome.SAVED || outcome == Outcome.UNCHANGED) && !replacing) {
            lastSaved.put(agentId, hash);
        } else {
            lastSaved.remove(agentId);
        }
        if (outcome == Outcome.OVER_CAP) {
            log.info("Browser state of agent {} is {} bytes, over the cap of {} bytes (AGENT_STATE_MAX_SIZE): not saved",
                    agentId, plaintext.length, maxBytes);
        }
        return outcome;
    }

    /**
     * The state the agent's browser should start from: its saved state, unless it opted out (what is kept is then
     * deleted) or there is none. A state that cannot be opened (sealed under another key) is not restored.
     */
    Optional<BrowserState> restorable(AgentView agent) {
        String agentId = agent.agentId();
        if (!persists(agent.config())) {
            transaction.executeWithoutResult(status -> states.deleteByAgent(agentId));
            return Optional.empty();
        }
        Optional<SavedBrowserState> saved = read(agentId);
        count("agent_state_restores", saved.isPresent() ? "restored" : "none");
        return saved.map(BrowserStateJson::toBrowser);
    }

    /** The agent's saved state, opened; empty when there is none or it cannot be opened (another key, or changed). */
    Optional<SavedBrowserState> read(String agentId) {
        return states.findById(agentId).filter(AgentSavedState::holdsState).flatMap(row -> open(agentId, row));
    }

    /** What is kept about the agent's state (sealed), if anything. */
    Optional<AgentSavedState> row(String agentId) {
        return states.findById(agentId);
    }

    /** Deletes the agent's saved state (the caller has checked the agent); true if there was one. */
    boolean delete(String agentId) {
        lastSaved.remove(agentId);
        return Boolean.TRUE.equals(transaction.execute(status -> states.deleteByAgent(agentId) > 0));
    }

    private Optional<SavedBrowserState> open(String agentId, AgentSavedState row) {
        if (!cipher.keyId().equals(row.getKeyId())) {
            log.warn("Browser state of agent {} was sealed under another key ({}; AGENT_STATE_KEY is {} now): not restored",
                    agentId, row.getKeyId(), cipher.keyId());
            count("agent_state_restores", "unreadable");
            return Optional.empty();
        }
        try {
            byte[] plaintext = cipher.open(agentId, row.getNonce(), row.getCiphertext());
            return Optional.of(json.readValue(plaintext, SavedBrowserState.class));
        } catch (GeneralSecurityException | RuntimeException e) {
            log.warn("Browser state of agent {} could not be opened ({}): not restored", agentId, e.getClass().getSimpleName());
            count("agent_state_restores", "unreadable");
            return Optional.empty();
        }
    }

    private void count(String name, Object outcome) {
        Counter.builder(name).description(name.equals("agent_state_saves") ? "Saves of agents' browser state, by outcome"
                        : "Agents' browser state read for a launch, by outcome")
                .tag("outcome", outcome.toString().toLowerCase(java.util.Locale.ROOT)).register(meters).increment();
    }
}

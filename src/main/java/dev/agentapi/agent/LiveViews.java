package dev.agentapi.agent;

import dev.agentapi.LifecyclePhases;
import dev.agentapi.audit.AuditRecord;
import dev.agentapi.audit.AuditTrail;
import dev.agentapi.browser.BrowserRuntime;
import dev.agentapi.browser.BrowserSession;
import dev.agentapi.browser.Screencast;
import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Live views of agents' pages: each watched agent has one {@link Screencast} of its browser, run by a loop on a
 * thread of its own, whose frames go to each of the agent's viewers as server-sent events. The loop
 * hands a frame to every viewer before it asks for the next, so the slowest viewer sets the pace (never more than
 * {@code max-fps}); it ends when the last viewer leaves, or with the browser (stopped, idle, deleted, crashed), telling
 * every viewer why. Only the owner (or an admin) may watch, only where the browser runs, and only a running browser:
 * watching starts nothing. Starting and stopping a view are audited ({@code agent.live.started}, {@code
 * agent.live.stopped} with how long and how many frames); frames are neither audited nor counted as actions.
 */
@Service
class LiveViews implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(LiveViews.class);
    /** The longest a loop waits for a frame before it looks at its viewers again. */
    private static final Duration SLICE = Duration.ofMillis(250);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final AgentService agents;
    private final BrowserRuntime runtime;
    private final AgentLeases leases;
    private final AuditTrail audit;
    private final CurrentActor actors;
    private final TransactionTemplate transaction;
    private final LiveViewProperties properties;
    private final TaskExecutor loops;
    private final JsonMapper json;
    private final Screencast.Settings settings;
    /** Watched agents and open views per caller; both guarded by {@code this}. */
    private final Map<String, AgentStream> streams = new HashMap<>();
    private final Map<String, Integer> perCaller = new HashMap<>();
    /** True from construction (a request may come as soon as the server listens, before this phase starts) until stop. */
    private volatile boolean running = true;

    LiveViews(AgentService agents, BrowserRuntime runtime, AgentLeases leases, AuditTrail audit, CurrentActor actors,
              PlatformTransactionManager transactions, LiveViewProperties properties, JsonMapper json) {
        this.agents = agents;
        this.runtime = runtime;
        this.leases = leases;
        this.audit = audit;
        this.actors = actors;
        this.transaction = new TransactionTemplate(transactions);
        this.properties = properties;
        this.loops = loops(properties.maxStreams());
        this.json = json;
        this.settings = new Screencast.Settings(properties.maxWidth(), properties.maxHeight(), properties.quality(),
                properties.frameInterval());
    }

    /**
     * The loops' threads: virtual where the JVM has them (21+, as Boot's own executors with {@code
     * spring.threads.virtual.enabled}); on 17 platform threads, at most {@code max-streams}, none kept idle and none
     * queued (a stream that finds no thread is refused with 503), shut down with the context.
     */
    private static TaskExecutor loops(int maxStreams) {
        if (Runtime.version().feature() >= 21) {
            return new VirtualThreadTaskExecutor("live-view-");
        }
        ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
        pool.setCorePoolSize(0);
        pool.setMaxPoolSize(maxStreams);
        pool.setQueueCapacity(0);
        pool.setKeepAliveSeconds(60);
        pool.setDaemon(true);
        pool.setThreadNamePrefix("live-view-");
        pool.initialize();
        return pool;
    }

    @Override
    public void destroy() {
        if (loops instanceof ThreadPoolTaskExecutor pool) {
            pool.shutdown();
        }
    }

    /**
     * A new view of the caller's agent: 404 when the caller may not see it, 409 when its browser is not running here
     * (another replica's, or none), 429 past a viewer cap, 503 when this replica streams as many agents as it may.
     */
    SseEmitter watch(String agentId) {
        agents.get(agentId); // 404: missing, deleted, or another owner's
        Actor actor = actors.get();
        AuditRecord attempt = LiveViewProblems.audited("agent.live.started", agentId, Map.of());
        Viewer viewer;
        boolean first;
        try {
            BrowserSession session = LiveViewProblems.runningHere(runtime, leases, agentId);
            synchronized (this) {
                AgentStream stream = streams.get(agentId);
                if (stream != null && stream.session != session) {
                    stream = null; // the stream of a browser that closed, still ending: the new browser gets its own
                }
                if (stream != null && stream.viewers.size() >= properties.viewersPerAgent()) {
                    throw LiveViewProblems.viewersPerAgent(agentId, properties.viewersPerAgent());
                }
                if (perCaller.getOrDefault(actor.userId(), 0) >= properties.viewersPerCaller()) {
                    throw LiveViewProblems.viewersPerCaller(properties.viewersPerCaller());
                }
                first = stream == null;
                if (first) {
                    if (streams.size() >= properties.maxStreams()) {
                        throw LiveViewProblems.noStreamCapacity(properties.maxStreams());
                    }
                    stream = new AgentStream(agentId, session);
                    streams.put(agentId, stream);
                }
                viewer = new Viewer(stream, actor);
                stream.viewers.add(viewer);
                perCaller.merge(actor.userId(), 1, Integer::sum);
            }
        } catch (RuntimeException refused) {
            audit.recordFailure(attempt, AgentProblems.describe(refused));
            throw refused;
        }
        try {
            transaction.executeWithoutResult(status -> audit.recordSuccess(LiveViewProblems.audited("agent.live.started", agentId,
                    Map.of("viewer", viewer.id, "viewers", viewer.stream.viewers.size()))));
            viewer.greet();
            if (first) {
                loops.execute(viewer.stream);
            }
        } catch (TaskRejectedException full) {
            viewer.stream.endAll("capacity");
            throw LiveViewProblems.noStreamCapacity(properties.maxStreams());
        } catch (RuntimeException failed) {
            viewer.end(null);
            throw failed;
        }
        return viewer.emitter;
    }

    /** Open views of the agent on this replica (tests, health). */
    synchronized int viewers(String agentId) {
        AgentStream stream = streams.get(agentId);
        return stream == null ? 0 : stream.viewers.size();
    }

    /** One frame as its event carries it. */
    record LiveFrame(long seq, String format, String data, int viewportWidth, int viewportHeight, double pageScale,
                     double scrollX, double scrollY, Double timestamp) {
        static LiveFrame of(long seq, Screencast.Frame frame) {
            return new LiveFrame(seq, "jpeg", frame.jpegBase64(), frame.viewportWidth(), frame.viewportHeight(),
                    frame.pageScale(), frame.scrollX(), frame.scrollY(), frame.timestamp());
        }
    }

    /** What a viewer is told first: who it is and what the stream may cost. */
    record LiveReady(String agentId, String viewer, int maxFps, int maxWidth, int maxHeight, long maxDurationSeconds) {
    }

    /** The last event of a stream, and why it ended. */
    record LiveEnd(String reason) {
    }

    /** The screencast of one agent's browser and its viewers; {@link #run} is its loop. */
    private final class AgentStream implements Runnable {

        private final String agentId;
        private final BrowserSession session;
        private final List<Viewer> viewers = new CopyOnWriteArrayList<>();
        private long seq;

        AgentStream(String agentId, BrowserSession session) {
            this.agentId = agentId;
            this.session = session;
        }

        @Override
        public void run() {
            Screencast screencast = null;
            String reason = "browser-closed";
            try {
                screencast = Screencast.start(session, settings, START_TIMEOUT);
                long lastSent = System.nanoTime();
                while (running && watched()) {
                    Optional<Screencast.Frame> frame = screencast.next(SLICE);
                    if (frame.isPresent()) {
                        String data = json.writeValueAsString(LiveFrame.of(++seq, frame.get()));
                        for (Viewer viewer : viewers) {
                            viewer.frame(seq, data);
                        }
                        lastSent = System.nanoTime();
                    } else if (System.nanoTime() - lastSent >= properties.keepAlive().toNanos()) {
                        viewers.forEach(Viewer::keepAlive);
                        lastSent = System.nanoTime();
                    }
                }
                reason = running ? "no-viewers" : "shutting-down";
            } catch (RuntimeException closed) { // the browser closed (stopped, idle, deleted, crashed) or its page is gone
                log.debug("Live view of agent {} ends: {}", agentId, closed.getMessage());
            } finally {
                if (screencast != null) {
                    screencast.stop();
                }
                endAll(reason);
            }
        }

        /** Whether anyone still watches; if not, the stream is no longer joinable (a new viewer starts a new one). */
        private boolean watched() {
            synchronized (LiveViews.this) {
                if (viewers.isEmpty()) {
                    streams.remove(agentId, this);
                    return false;
                }
                return true;
            }
        }

        void endAll(String reason) {
            synchronized (LiveViews.this) {
                streams.remove(agentId, this);
            }
            for (Viewer viewer : new ArrayList<>(viewers)) {
                viewer.end(reason);
            }
        }
    }

    /** One open view: its emitter, who watches, since when, and how many frames it got. */
    private final class Viewer {

        private final String id = UUID.randomUUID().toString().substring(0, 8);
        private final AgentStream stream;
        private final Actor actor;
        private final SseEmitter emitter;
        private final Instant since = Instant.now();
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile long frames;

        Viewer(AgentStream stream, Actor actor) {
            this.stream = stream;
            this.actor = actor;
            this.emitter = new SseEmitter(properties.maxDuration().toMillis());
            emitter.onTimeout(() -> end("max-duration"));
            emitter.onError(failure -> end("client-gone"));
            emitter.onCompletion(() -> end("client-gone"));
        }

        void greet() {
            send(SseEmitter.event().name("ready").data(json.writeValueAsString(new LiveReady(stream.agentId, id,
                    properties.maxFps(), properties.maxWidth(), properties.maxHeight(), properties.maxDuration().toSeconds())),
                    MediaType.APPLICATION_JSON));
        }

        void frame(long seq, String data) {
            if (send(SseEmitter.event().name("frame").id(Long.toString(seq)).data(data, MediaType.APPLICATION_JSON))) {
                frames++;
            }
        }

        void keepAlive() {
            send(SseEmitter.event().comment("keep-alive"));
        }

        /** Sends an event; a client that went away ends the view. */
        private boolean send(SseEmitter.SseEventBuilder event) {
            if (ended.get()) {
                return false;
            }
            try {
                emitter.send(event);
                return true;
            } catch (IOException | IllegalStateException gone) {
                end("client-gone");
                return false;
            }
        }

        /**
         * Ends the view once: tells the client why (unless it went away) and audits how long it watched; {@code reason}
         * null for a view whose start failed (neither told nor audited as stopped).
         */
        void end(String reason) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            synchronized (LiveViews.this) {
                stream.viewers.remove(this);
                perCaller.computeIfPresent(actor.userId(), (caller, open) -> open > 1 ? open - 1 : null);
            }
            if (reason == null) {
                emitter.complete();
                return;
            }
            if (!reason.equals("client-gone")) {
                try {
                    emitter.send(SseEmitter.event().name("end").data(json.writeValueAsString(new LiveEnd(reason)),
                            MediaType.APPLICATION_JSON));
                } catch (IOException | IllegalStateException gone) {
                    // the client went away meanwhile
                }
            }
            try {
                emitter.complete();
            } catch (IllegalStateException alreadyComplete) {
                // completed by the container
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("viewer", id);
            details.put("reason", reason);
            details.put("duration_ms", Duration.between(since, Instant.now()).toMillis());
            details.put("frames", frames);
            try {
                actors.runAs(actor, () -> transaction.executeWithoutResult(status ->
                        audit.recordSuccess(LiveViewProblems.audited("agent.live.stopped", stream.agentId, details))));
            } catch (RuntimeException unwritten) {
                log.warn("Could not audit the end of live view {} of agent {} ({})", id, stream.agentId,
                        unwritten.getClass().getSimpleName());
            }
        }
    }

    /** Streams run from start; on stop every one ends, its viewers told the service is shutting down. */
    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        List<AgentStream> open;
        synchronized (this) {
            open = new ArrayList<>(streams.values());
        }
        open.forEach(stream -> stream.endAll("shutting-down"));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return LifecyclePhases.LIVE_VIEWS;
    }
}

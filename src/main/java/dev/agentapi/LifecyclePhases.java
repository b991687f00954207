package dev.agentapi;

import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * The order in which the service's long-running parts start and stop, in one place. Each is a {@code SmartLifecycle}
 * bean whose {@code getPhase()} is one of these: Spring starts them from the lowest phase up once the context is
 * refreshed, and on close stops them from the highest down, each phase after the one before has finished (a phase's
 * asynchronous stops wait at most {@code spring.lifecycle.timeout-per-shutdown-phase}). The web server's two phases
 * are Spring Boot's. The table in docs/architecture.md ("Lifecycle") says what each start and stop does.
 */
public final class LifecyclePhases {

    /** Spring Boot's web server: listens on start (the port, so this replica's address, is known from then), stops on stop. */
    public static final int WEB_SERVER = WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE;

    /** Spring Boot's graceful shutdown: on stop, takes no new requests and waits for those in flight. */
    public static final int GRACEFUL_SHUTDOWN = WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE;

    /** The Redis gateway's own connection: nothing on start (opened on first use), closed on stop, after everything that uses it. */
    public static final int REDIS_GATEWAY = WEB_SERVER - 2048;

    /**
     * Refusals counted for the audit trail: what the current window holds is written on stop, after the browsers
     * (whose last egress refusals count too) are closed, while the database is still there.
     */
    public static final int AUDIT_REFUSALS = WEB_SERVER - 1536;

    /** The browser runtime: housekeeping and the warm pool start before anything can launch; every browser is closed last. */
    public static final int BROWSERS = WEB_SERVER - 1024;

    /**
     * Agent leases: reconciled and kept once the server listens (a lease names this replica's address); handed back
     * after the graceful shutdown, when no request is in flight any more, while the browsers are still open.
     */
    public static final int AGENT_LEASES = WEB_SERVER + 256;

    /**
     * Periodic saves of agents' browser state: from once leases are kept; stopped before the leases are handed back
     * (which saves each browser's state one last time).
     */
    public static final int AGENT_STATE_SAVES = AGENT_LEASES + 128;

    /** Task workers: claim once leases are kept; stop claiming, and let running tasks finish, before leases are handed back. */
    public static final int TASK_WORKERS = WEB_SERVER + 512;

    /**
     * Live views, and AI clients waiting for a person (MCP {@code request_human}): on stop every stream ends (its
     * viewers told why) and every wait ends ({@code shutting-down}) after the drain and before the graceful shutdown,
     * which would otherwise wait its whole grace period for requests that do not finish soon on their own.
     */
    public static final int LIVE_VIEWS = GRACEFUL_SHUTDOWN + 256;

    /** The shutdown drain: stops first, serving on for the drain delay while readiness already answers 503. */
    public static final int DRAIN = GRACEFUL_SHUTDOWN + 512;

    private LifecyclePhases() {
    }
}

package dev.agentapi.browser.egress;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much of the egress proxy one browser may take. {@code maxConnectionsPerAgent}: connections an agent's browser
 * holds open through the proxy at once (tunnels, WebSockets and plain requests alike, over every egress port serving
 * the agent; {@code BROWSER_EGRESS_MAX_CONNECTIONS_PER_AGENT}). {@code maxInFlightPerPort}: connections of one egress
 * port that are not yet an established tunnel (the request being read, judged and connected, or a plain-HTTP
 * exchange waiting for or streaming its answer; {@code BROWSER_EGRESS_MAX_IN_FLIGHT_PER_PORT}): these are the ones
 * served by a thread. Beyond either cap a new connection is answered 503 at once and counted for its agent.
 * {@code idleTimeout}: a tunnel (HTTPS, WebSocket) or plain exchange through which no byte moved either way for
 * this long is closed ({@code BROWSER_EGRESS_IDLE_TIMEOUT}).
 */
public record EgressLimits(@DefaultValue("128") int maxConnectionsPerAgent,
                           @DefaultValue("64") int maxInFlightPerPort,
                           @DefaultValue("2m") Duration idleTimeout) {

    public static final EgressLimits DEFAULTS = new EgressLimits(128, 64, Duration.ofMinutes(2));

    public EgressLimits {
        if (maxConnectionsPerAgent < 1 || maxInFlightPerPort < 1) {
            throw new IllegalArgumentException("BROWSER_EGRESS_MAX_CONNECTIONS_PER_AGENT and BROWSER_EGRESS_MAX_IN_FLIGHT_PER_PORT "
                    + "must be at least 1");
        }
        if (idleTimeout == null || idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("BROWSER_EGRESS_IDLE_TIMEOUT must be at least 1s");
        }
    }
}

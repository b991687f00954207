package dev.agentapi.agent;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The live view ({@code GET /api/agents/browser/{id}/live}) and a person's hold on an agent. Frames: at most
 * {@code maxFps} a second (1 to 10), scaled to fit {@code maxWidth} × {@code maxHeight} (at most 1280 each), JPEG
 * {@code quality}. Viewers: at most {@code viewersPerAgent} on one agent, {@code viewersPerCaller} streams open by one
 * caller, {@code maxStreams} agents watched on this replica at once; a stream ends after {@code maxDuration} (the
 * client reconnects), and sends a comment line after {@code keepAlive} without a frame (so a client that went away is
 * noticed, and proxies keep the connection).
 */
@ConfigurationProperties(prefix = "agent-api.live")
public record LiveViewProperties(@DefaultValue("10") int maxFps,
                                 @DefaultValue("1280") int maxWidth,
                                 @DefaultValue("1280") int maxHeight,
                                 @DefaultValue("60") int quality,
                                 @DefaultValue("3") int viewersPerAgent,
                                 @DefaultValue("10") int viewersPerCaller,
                                 @DefaultValue("64") int maxStreams,
                                 @DefaultValue("30m") Duration maxDuration,
                                 @DefaultValue("15s") Duration keepAlive,
                                 @DefaultValue Hold hold,
                                 @DefaultValue HumanRequest humanRequest) {

    public LiveViewProperties {
        require(maxFps >= 1 && maxFps <= 10, "agent-api.live.max-fps must be 1 to 10");
        require(maxWidth >= 16 && maxWidth <= 1280 && maxHeight >= 16 && maxHeight <= 1280,
                "agent-api.live.max-width and max-height must be 16 to 1280");
        require(quality >= 1 && quality <= 100, "agent-api.live.quality must be 1 to 100");
        require(viewersPerAgent >= 1 && viewersPerCaller >= 1 && maxStreams >= 1, "agent-api.live viewer caps must be at least 1");
        require(maxDuration.toSeconds() >= 1 && keepAlive.toMillis() >= 100, "agent-api.live.max-duration and keep-alive must be positive");
    }

    /** The shortest time between two frames. */
    Duration frameInterval() {
        return Duration.ofMillis(1000 / maxFps);
    }

    /**
     * A person's hold on an agent (takeover): released after {@code idleTimeout} without input; meanwhile API, MCP and
     * task actions on the agent are refused with 409 {@code agent-held-by-person} ({@code actions: refuse}) or wait up
     * to {@code waitAtMost} for the release ({@code actions: wait}), then are refused.
     */
    public record Hold(@DefaultValue("2m") Duration idleTimeout,
                       @DefaultValue("refuse") String actions,
                       @DefaultValue("30s") Duration waitAtMost) {
        public Hold {
            require(idleTimeout.toSeconds() >= 1, "agent-api.live.hold.idle-timeout must be at least 1 s");
            require(actions.equals("refuse") || actions.equals("wait"), "agent-api.live.hold.actions must be refuse or wait");
        }

        boolean waits() {
            return actions.equals("wait");
        }
    }

    /**
     * An AI client asking for a person (MCP {@code request_human}): its call waits at most {@code maxTimeout} (also the
     * wait when the call names none); at most {@code perCaller} calls of one caller and {@code maxWaiting} on this
     * replica wait at once, each holding its request's thread meanwhile.
     */
    public record HumanRequest(@DefaultValue("15m") Duration maxTimeout,
                               @DefaultValue("4") int perCaller,
                               @DefaultValue("32") int maxWaiting) {
        public HumanRequest {
            require(maxTimeout.toSeconds() >= 1, "agent-api.live.human-request.max-timeout must be at least 1 s");
            require(perCaller >= 1 && maxWaiting >= 1, "agent-api.live.human-request caps must be at least 1");
        }
    }

    private static void require(boolean holds, String message) {
        if (!holds) {
            throw new IllegalArgumentException(message);
        }
    }
}

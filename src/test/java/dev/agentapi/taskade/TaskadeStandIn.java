package dev.agentapi.taskade;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.agentapi.support.TcpProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * WireMock playing Taskade's v1 API over real HTTP, and a Taskade key generated for this run. The stand-ins live as
 * long as the JVM, each with the kind of context that points at it: {@link #shared()} with a shared workspace
 * ({@code @JwtIntegrationTest}, for {@code TaskadeApiTest}), {@link #behindRelay()} behind a relay a test may cut
 * ({@code @RateLimitIntegrationTest}, for {@code TaskadeBreakerTest}), {@link #forContract()}
 * ({@code @BrowserIntegrationTest}, for {@code ApiContractTest}).
 */
public final class TaskadeStandIn {

    public static final String KEY = key();
    /** The shared workspace ({@code TASKADE_WORKSPACE_ID}) of the contexts that configure one. */
    public static final String WORKSPACE = "ws" + id().substring(0, 14);
    private static WireMockServer shared;
    private static WireMockServer relayed;
    private static TcpProxy relay;
    private static WireMockServer contract;

    private TaskadeStandIn() {
    }

    static WireMockServer start() {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return server;
    }

    /** TaskadeApiTest's stand-in. */
    public static synchronized WireMockServer shared() {
        if (shared == null) {
            shared = startedUntilExit();
        }
        return shared;
    }

    /** TaskadeBreakerTest's stand-in, reached through {@link #relay()}. */
    public static synchronized WireMockServer behindRelay() {
        if (relayed == null) {
            relayed = startedUntilExit();
            try {
                relay = new TcpProxy("127.0.0.1", relayed.port());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(relay::close));
        }
        return relayed;
    }

    /** The relay in front of {@link #behindRelay()}: {@code stop()} makes Taskade unreachable, {@code start()} brings it back. */
    public static synchronized TcpProxy relay() {
        behindRelay();
        return relay;
    }

    /** ApiContractTest's stand-in. */
    public static synchronized WireMockServer forContract() {
        if (contract == null) {
            contract = startedUntilExit();
        }
        return contract;
    }

    private static WireMockServer startedUntilExit() {
        WireMockServer server = start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        return server;
    }

    /**
     * The settings that point the service at {@code baseUrl} (Taskade's API root, ending in /api/v1) with the run's
     * key: a read timeout short enough for the slow-answer test, long enough for a first call on a busy machine.
     */
    public static Map<String, Object> properties(String baseUrl) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("agent-api.taskade.api-key", KEY);
        properties.put("agent-api.taskade.api-url", baseUrl);
        properties.put("agent-api.taskade.read-timeout", "2s");
        properties.put("agent-api.taskade.retry-delay", "10ms");
        return properties;
    }

    public static String id() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static String key() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "tsk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

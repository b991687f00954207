package dev.agentapi.taskade;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/** WireMock playing Taskade's v1 API over real HTTP, and a Taskade key generated for this run. */
final class TaskadeStandIn {

    static final String KEY = key();

    private TaskadeStandIn() {
    }

    static WireMockServer start() {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return server;
    }

    /** Points the service at {@code baseUrl} (Taskade's API root, ending in /api/v1) with the run's key. */
    static void register(DynamicPropertyRegistry registry, String baseUrl) {
        registry.add("agent-api.taskade.api-key", () -> KEY);
        registry.add("agent-api.taskade.api-url", () -> baseUrl);
        // short enough for the slow-answer test, long enough for a first call on a busy machine
        registry.add("agent-api.taskade.read-timeout", () -> "2s");
        registry.add("agent-api.taskade.retry-delay", () -> "10ms");
    }

    static String id() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static String key() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "tsk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

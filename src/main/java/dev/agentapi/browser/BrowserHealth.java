package dev.agentapi.browser;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Up while some place can take a browser (Chromium, full or headless shell, installed here and allowed to launch
 * there, or a remote endpoint not known to be down); {@code max} counts only reachable places. Down, it says why
 * ({@code reason}: outside local mode, for instance, that Chromium's sandbox cannot start and how to fix that).
 * Each remote endpoint is listed with its own state.
 */
@Component("browsers")
class BrowserHealth implements HealthIndicator {

    private final BrowserRuntime runtime;

    BrowserHealth(BrowserRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Health health() {
        boolean ready = runtime.isReady();
        Health.Builder health = (ready ? Health.up() : Health.down())
                .withDetail("in_use", runtime.inUse())
                .withDetail("max", runtime.capacity());
        if (!ready) {
            runtime.unavailable().ifPresent(reason -> health.withDetail("reason", reason));
        }
        List<BrowserRuntime.RemoteState> remote = runtime.remoteEndpoints();
        if (!remote.isEmpty()) {
            // keyed by the endpoint's name (no token): renders as name/value pairs in the console too
            Map<String, Object> endpoints = new LinkedHashMap<>();
            remote.forEach(state -> endpoints.put(state.endpoint(), remoteEndpoint(state)));
            health.withDetail("remote_endpoints", endpoints);
        }
        return health.build();
    }

    private static Map<String, Object> remoteEndpoint(BrowserRuntime.RemoteState state) {
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("status", state.status());
        endpoint.put("in_use", state.inUse());
        endpoint.put("max", state.max());
        if (state.error() != null) {
            endpoint.put("error", state.error());
        }
        return endpoint;
    }
}

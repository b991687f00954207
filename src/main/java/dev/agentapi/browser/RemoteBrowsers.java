package dev.agentapi.browser;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.function.SingletonSupplier;

/**
 * The remote browser endpoints of this instance and what it knows of each: how many of its agents run
 * there, and whether it is reachable. Reachability comes from use (a connect that failed, a browser that
 * disconnected) and from a probe the runtime's housekeeping runs: a TCP connect to a Playwright server (a
 * WebSocket handshake there could launch a browser, which a probe must not), {@code GET /json/version} on a
 * CDP endpoint given as http(s). Places are counted per instance: replicas sharing an endpoint each count
 * only their own agents, so each replica's {@code max} should be its share of the server.
 */
final class RemoteBrowsers {

    private static final Logger log = LoggerFactory.getLogger(RemoteBrowsers.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** How long an endpoint that refused a connect stays down whatever a probe says (it may answer TCP and still refuse). */
    static final Duration REFUSAL_HOLD = Duration.ofSeconds(30);

    /** What is known of an endpoint's reachability. */
    enum Reach {
        UNKNOWN, UP, DOWN
    }

    /** An endpoint, its agents here and its reachability; the runtime takes and gives back places. */
    static final class Endpoint {

        private final RemoteEndpoint endpoint;
        private final AtomicInteger inUse = new AtomicInteger();
        private volatile Reach reach = Reach.UNKNOWN;
        private volatile String error;
        /** Until then probes do not bring it back: it was reachable but refused to serve. */
        private volatile java.time.Instant heldDownUntil = java.time.Instant.MIN;

        private Endpoint(RemoteEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        RemoteEndpoint endpoint() {
            return endpoint;
        }

        String name() {
            return endpoint.name();
        }

        int inUse() {
            return inUse.get();
        }

        int capacity() {
            return endpoint.capacity();
        }

        Reach reach() {
            return reach;
        }

        /** Not known to be down (a new endpoint is given the benefit of the doubt until probed). */
        boolean available() {
            return reach != Reach.DOWN;
        }

        double load() {
            return (double) inUse.get() / endpoint.capacity();
        }

        /** Takes a place if one is free. */
        boolean tryAcquire() {
            while (true) {
                int now = inUse.get();
                if (now >= endpoint.capacity()) {
                    return false;
                }
                if (inUse.compareAndSet(now, now + 1)) {
                    return true;
                }
            }
        }

        void release() {
            inUse.updateAndGet(n -> Math.max(0, n - 1));
        }

        /** Reachable, as a probe says: not believed while a refusal holds the endpoint down. */
        synchronized void probedUp() {
            if (java.time.Instant.now().isBefore(heldDownUntil)) {
                return;
            }
            up();
        }

        /**
         * Joining it failed: down, and held down for {@link #REFUSAL_HOLD} however its port answers probes.
         * Synchronized with {@link #probedUp}: a probe that found the port open must not slip in between.
         */
        synchronized void refused(String why) {
            heldDownUntil = java.time.Instant.now().plus(REFUSAL_HOLD);
            down(why);
        }

        synchronized void up() {
            heldDownUntil = java.time.Instant.MIN;
            if (reach != Reach.UP) {
                log.info("Remote browser endpoint {} is reachable", name());
            }
            reach = Reach.UP;
            error = null;
        }

        synchronized void down(String reason) {
            String why = endpoint.scrub(reason); // logged, and shown by the health report
            if (reach != Reach.DOWN) {
                log.warn("Remote browser endpoint {} is unreachable: {}", name(), why);
            }
            reach = Reach.DOWN;
            error = why;
        }

        /** For health reports: what is known now. */
        BrowserRuntime.RemoteState state() {
            return new BrowserRuntime.RemoteState(name(), reach.name().toLowerCase(java.util.Locale.ROOT), inUse.get(),
                    endpoint.capacity(), error);
        }
    }

    private final List<Endpoint> endpoints;
    /** Made on the first probe of a CDP endpoint over http(s): a client starts a selector thread and TLS. */
    private final SingletonSupplier<HttpClient> http = SingletonSupplier.of(() -> HttpClient.newBuilder()
            .connectTimeout(PROBE_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build());

    RemoteBrowsers(List<RemoteEndpoint> configured) {
        this.endpoints = configured.stream().map(Endpoint::new).toList();
    }

    /**
     * {@code browser_remote_in_use{endpoint}} and {@code browser_remote_max{endpoint}} (this instance's agents
     * there and its places), {@code browser_remote_up{endpoint}} (1 reachable, 0 down or not probed yet).
     */
    void register(io.micrometer.core.instrument.MeterRegistry meters) {
        for (Endpoint endpoint : endpoints) {
            io.micrometer.core.instrument.Gauge.builder("browser.remote.in_use", endpoint, Endpoint::inUse)
                    .tag("endpoint", endpoint.name()).description("Agents of this instance on the remote endpoint").register(meters);
            io.micrometer.core.instrument.Gauge.builder("browser.remote.max", endpoint, Endpoint::capacity)
                    .tag("endpoint", endpoint.name()).description("Places of this instance on the remote endpoint").register(meters);
            io.micrometer.core.instrument.Gauge.builder("browser.remote.up", endpoint, e -> e.reach() == Reach.UP ? 1 : 0)
                    .tag("endpoint", endpoint.name()).description("1 while the remote endpoint is reachable").register(meters);
        }
    }

    List<Endpoint> endpoints() {
        return endpoints;
    }

    /** Endpoints not known to be down, least loaded first (by the share of their places in use). */
    List<Endpoint> candidates() {
        return endpoints.stream().filter(Endpoint::available).sorted(Comparator.comparingDouble(Endpoint::load)).toList();
    }

    /** Places of the endpoints not known to be down. */
    int capacity() {
        return endpoints.stream().filter(Endpoint::available).mapToInt(Endpoint::capacity).sum();
    }

    int configuredCapacity() {
        return endpoints.stream().mapToInt(Endpoint::capacity).sum();
    }

    int inUse() {
        return endpoints.stream().mapToInt(Endpoint::inUse).sum();
    }

    boolean anyAvailable() {
        return endpoints.stream().anyMatch(Endpoint::available);
    }

    List<BrowserRuntime.RemoteState> states() {
        return endpoints.stream().map(Endpoint::state).toList();
    }

    /** Probes every endpoint once (bounded by {@link #PROBE_TIMEOUT} each). */
    void probe() {
        endpoints.forEach(this::probe);
    }

    void probe(Endpoint endpoint) {
        Optional<String> failure = reachability(endpoint.endpoint());
        if (failure.isEmpty()) {
            endpoint.probedUp();
        } else {
            endpoint.down(failure.get());
        }
    }

    /** Empty when reachable; otherwise why not, in words without the URL's query. */
    private Optional<String> reachability(RemoteEndpoint endpoint) {
        URI uri = URI.create(endpoint.url());
        if (endpoint.protocol() == RemoteEndpoint.Protocol.CDP && uri.getScheme().toLowerCase(java.util.Locale.ROOT).startsWith("http")) {
            try {
                URI version = new URI(uri.getScheme(), uri.getRawUserInfo(), uri.getHost(), uri.getPort(), "/json/version",
                        uri.getQuery(), null); // a token in the query (Browserless) is asked for here too
                HttpResponse<Void> response = http.obtain().send(HttpRequest.newBuilder(version).timeout(PROBE_TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return response.statusCode() == 200 ? Optional.empty()
                        : Optional.of("GET /json/version answered " + response.statusCode());
            } catch (IOException e) {
                return Optional.of("GET /json/version failed: " + PlaywrightDriver.reason(e).replaceFirst("^: ", ""));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            } catch (java.net.URISyntaxException e) {
                return Optional.of("no probe URL: " + e.getReason());
            }
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) PROBE_TIMEOUT.toMillis());
            return Optional.empty();
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return Optional.of("no TCP connection to " + endpoint.host() + ":" + endpoint.port() + " (" + reason + ")");
        }
    }
}

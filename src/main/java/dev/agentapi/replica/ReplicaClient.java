package dev.agentapi.replica;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

/**
 * Sends signed requests to another replica's advertised address, bounded by the forward timeouts. It
 * never follows redirects and never retries: the caller decides what a failure means.
 */
@Component
public class ReplicaClient {

    private final ReplicaIdentity self;
    private final ReplicaSignature signature;
    private final ReplicaProperties properties;
    /** Made on the first forward (a client starts a selector thread and TLS; most instances never forward). */
    private final SingletonSupplier<HttpClient> http;

    ReplicaClient(ReplicaIdentity self, ReplicaSignature signature, ReplicaProperties properties) {
        this.self = self;
        this.signature = signature;
        this.properties = properties;
        this.http = SingletonSupplier.of(() -> HttpClient.newBuilder().connectTimeout(properties.forwardConnectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build());
    }

    /** What the other replica answered. */
    public record Reply(int status, Map<String, java.util.List<String>> headers, byte[] body) {

        public java.util.Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }
    }

    /**
     * The other replica could not be asked, or the exchange broke off (it went away mid-request), or it did
     * not answer within the read timeout ({@code timedOut}: it may still be working on the request).
     */
    public static final class Unreachable extends RuntimeException {
        private final boolean timedOut;

        Unreachable(String message, boolean timedOut, Throwable cause) {
            super(message, cause);
            this.timedOut = timedOut;
        }

        public boolean timedOut() {
            return timedOut;
        }
    }

    /**
     * Sends {@code method path} (under {@link ReplicaSignature#PATH_PREFIX}) with {@code body} to replica {@code to} at
     * {@code baseUrl}, acting for {@code actor}; {@code requestId} travels along for the logs.
     */
    public Reply send(String baseUrl, String to, String method, String path, String actor, byte[] body, String requestId) {
        if (!path.startsWith(ReplicaSignature.PATH_PREFIX)) {
            throw new IllegalArgumentException("Only replica routes are forwarded to: " + path);
        }
        byte[] payload = body == null ? new byte[0] : body;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(properties.forwardReadTimeout())
                .method(method, payload.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(payload))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        signature.sign(method, path, self.id(), to, actor, payload).forEach(request::header);
        try {
            HttpResponse<byte[]> response = http.obtain().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.headers().map(), response.body());
        } catch (HttpConnectTimeoutException e) {
            throw new Unreachable("no connection to " + baseUrl + " within " + properties.forwardConnectTimeout(), false, e);
        } catch (HttpTimeoutException e) {
            throw new Unreachable(baseUrl + " did not answer within " + properties.forwardReadTimeout(), true, e);
        } catch (java.net.ConnectException e) {
            throw new Unreachable("connection to " + baseUrl + " refused", false, e);
        } catch (IOException e) {
            throw new Unreachable("exchange with " + baseUrl + " failed: " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while asking " + baseUrl, false, e);
        }
    }
}

package dev.agentapi.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The forwarding client against real HTTP holders: what it sends is a request the receiving replica
 * accepts, what the holder answers comes back as it was, and the ways a holder can fail are told apart
 * (a refused connection: the holder is gone, 503; no answer within the read timeout: it may still be
 * working, 504).
 */
class ReplicaClientTest {

    private static final String SECRET = "s".repeat(40);
    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);
    private static final String PATH = ReplicaSignature.PATH_PREFIX + "agents/a-1/actions";

    private final ReplicaProperties properties = new ReplicaProperties("http://127.0.0.1:1", Duration.ofSeconds(15), SECRET,
            Duration.ofSeconds(2), READ_TIMEOUT, Duration.ofSeconds(1), 0);
    private final ReplicaSignature signature = new ReplicaSignature(new ReplicaSecret(properties, ""));
    private final ReplicaClient client = new ReplicaClient(new ReplicaIdentity(properties), signature, properties);
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer holder;

    @AfterEach
    void stop() {
        release.countDown();
        if (holder != null) {
            holder.stop(0);
        }
    }

    private String serve(int status, Map<String, String> headers, String body, Duration delay,
                         CompletableFuture<Map<String, String>> received) throws IOException {
        holder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        holder.createContext("/", exchange -> {
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            Map<String, String> seen = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> seen.put(name.toLowerCase(), values.get(0)));
            seen.put(":body", new String(requestBody, StandardCharsets.UTF_8));
            seen.put(":method", exchange.getRequestMethod());
            seen.put(":path", exchange.getRequestURI().getPath());
            received.complete(seen);
            try {
                release.await(delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] answer = body.getBytes(StandardCharsets.UTF_8);
            headers.forEach(exchange.getResponseHeaders()::add);
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        holder.start();
        return "http://127.0.0.1:" + holder.getAddress().getPort();
    }

    @Test
    void aForwardedRequestIsOneTheHolderAcceptsAndItsAnswerComesBackAsItWas() throws Exception {
        CompletableFuture<Map<String, String>> received = new CompletableFuture<>();
        String url = serve(429, Map.of("Retry-After", "7", "Content-Type", "application/problem+json"),
                "{\"title\":\"Too Many Requests\"}", Duration.ZERO, received);

        ReplicaClient.Reply reply = client.send(url, "replica-b", "POST", PATH, "actor-1", "{\"type\":\"content\"}".getBytes(StandardCharsets.UTF_8), "req-9");

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.header("retry-after")).contains("7");
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("{\"title\":\"Too Many Requests\"}");
        Map<String, String> seen = received.get(5, TimeUnit.SECONDS);
        assertThat(seen).containsEntry(":method", "POST").containsEntry(":path", PATH).containsEntry("x-request-id", "req-9");
        Map<String, String> signed = new java.util.HashMap<>();
        ReplicaSignature.HEADERS.forEach(name -> signed.put(name, seen.get(name.toLowerCase())));
        byte[] body = seen.get(":body").getBytes(StandardCharsets.UTF_8);
        assertThat(signature.verify("POST", PATH, signed, "replica-c", body)).as("another replica refuses it").isEmpty();
        assertThat(signature.verify("POST", PATH, signed, "replica-b", body)).as("the receiver accepts it once").contains("actor-1");
        assertThat(signature.verify("POST", PATH, signed, "replica-b", body)).as("and never again (replay)").isEmpty();
        // the headers are checked on their own, before the body; the body must then be the one they name
        Map<String, String> fresh = signature.sign("POST", PATH, "replica-a", "replica-b", "actor-1", body);
        ReplicaSignature.Signed headersOnly = signature.verifyHeaders("POST", PATH, fresh, "replica-b").orElseThrow();
        assertThat(headersOnly.covers(body)).isTrue();
        assertThat(headersOnly.covers("{\"type\":\"text\"}".getBytes(StandardCharsets.UTF_8))).as("another body").isFalse();
    }

    @Test
    void aRedirectIsAnsweredNotFollowed() throws Exception {
        String url = serve(302, Map.of("Location", "http://127.0.0.1:9/elsewhere"), "", Duration.ZERO, new CompletableFuture<>());
        assertThat(client.send(url, "replica-b", "DELETE", ReplicaSignature.PATH_PREFIX + "agents/a-1", "actor-1", null, null).status())
                .isEqualTo(302);
    }

    @Test
    void aHolderThatDoesNotAnswerInTimeIsATimeoutNotAnUnreachableHolder() throws Exception {
        String url = serve(200, Map.of(), "{}", Duration.ofSeconds(30), new CompletableFuture<>());
        assertThatThrownBy(() -> client.send(url, "replica-b", "POST", PATH, "actor-1", new byte[0], null))
                .isInstanceOfSatisfying(ReplicaClient.Unreachable.class, failure -> {
                    assertThat(failure.timedOut()).as("the action may still run there: 504, read the agent").isTrue();
                    assertThat(failure.getMessage()).contains("did not answer within");
                });
    }

    @Test
    void aHolderThatIsGoneIsUnreachableNotATimeout() throws Exception {
        int closed;
        try (ServerSocket free = new ServerSocket(0)) {
            closed = free.getLocalPort();
        }
        assertThatThrownBy(() -> client.send("http://127.0.0.1:" + closed, "replica-b", "POST", PATH, "actor-1", new byte[0], null))
                .isInstanceOfSatisfying(ReplicaClient.Unreachable.class, failure -> {
                    assertThat(failure.timedOut()).as("nothing ran there: 503 with Retry-After").isFalse();
                    assertThat(failure.getMessage()).contains("refused");
                });
    }

    @Test
    void onlyReplicaRoutesAreForwardedTo() {
        assertThatThrownBy(() -> client.send("http://127.0.0.1:1", "replica-b", "POST", "/api/agents/browser/a-1/actions", "actor-1", null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

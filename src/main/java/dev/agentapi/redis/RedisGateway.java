package dev.agentapi.redis;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;

/**
 * The service's one way to Redis: connects lazily (a Redis that is down at start-up is no
 * reason not to start), bounds every command, and runs it through the circuit breaker
 * ({@link RedisCircuitBreaker}). A call that fails or is skipped returns empty; callers fall back to
 * PostgreSQL or local state.
 */
public class RedisGateway implements DisposableBean {

    private final ClientResources resources;
    private final RedisClient client;
    private final CircuitBreaker breaker;
    private volatile StatefulRedisConnection<String, String> strings;
    private volatile StatefulRedisConnection<String, byte[]> bytes;

    public RedisGateway(RedisSettings settings, CircuitBreaker breaker) {
        RedisURI uri = settings.redisUri();
        uri.setTimeout(settings.commandTimeout());
        // No CLIENT SETINFO in the handshake: Redis before 7.2 answers it with "ERR unknown
        // subcommand", which Lettuce ignores but the App Insights agent reports as a failed
        // dependency on every connection. Lettuce sends it only when a library name/version is set.
        uri.setLibraryName("");
        uri.setLibraryVersion("");
        // reconnect quickly once Redis is back (Lettuce's default backs off to 30 s)
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .build());
        this.breaker = breaker;
    }

    /** True while Redis serves (the breaker is closed); false while it is skipped or on trial after an outage. */
    public boolean available() {
        return breaker.getState() == CircuitBreaker.State.CLOSED;
    }

    /** Runs a command on the string connection, or returns empty if Redis is skipped or fails. */
    public <T> Optional<T> call(Function<StatefulRedisConnection<String, String>, T> command) {
        return guarded(() -> command.apply(strings()));
    }

    /**
     * Runs any Redis work through the breaker (Bucket4j's proxy manager, say), or returns empty if Redis
     * is skipped or the work fails. Not {@code executeSupplier}: a skipped call is an empty answer here,
     * not an exception to build and catch on every request while Redis is away.
     */
    public <T> Optional<T> guarded(Supplier<T> work) {
        if (!breaker.tryAcquirePermission()) {
            return Optional.empty();
        }
        long start = breaker.getCurrentTimestamp();
        try {
            T result = work.get();
            breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
            return Optional.of(result);
        } catch (RuntimeException failure) {
            breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), failure);
            return Optional.empty();
        }
    }

    /** A connection with byte-array values, for Bucket4j's proxy manager. */
    public synchronized StatefulRedisConnection<String, byte[]> bytes() {
        if (bytes == null || !bytes.isOpen()) {
            bytes = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        }
        return bytes;
    }

    private StatefulRedisConnection<String, String> strings() {
        StatefulRedisConnection<String, String> connection = strings;
        if (connection == null || !connection.isOpen()) {
            synchronized (this) {
                if (strings == null || !strings.isOpen()) {
                    strings = client.connect(StringCodec.UTF8);
                }
                connection = strings;
            }
        }
        return connection;
    }

    @Override
    public void destroy() {
        client.shutdown();
        resources.shutdown();
    }
}

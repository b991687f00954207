package dev.agentapi.redis;

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
import org.springframework.beans.factory.DisposableBean;

/**
 * The service's one way to Redis: connects lazily (a Redis that is down at start-up is no
 * reason not to start), bounds every command, and runs it through the breaker. A call that fails
 * or is skipped returns empty; callers fall back to PostgreSQL or local state.
 */
public class RedisGateway implements DisposableBean {

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisBreaker breaker;
    private volatile StatefulRedisConnection<String, String> strings;
    private volatile StatefulRedisConnection<String, byte[]> bytes;

    public RedisGateway(RedisSettings settings, RedisBreaker breaker) {
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

    public RedisBreaker breaker() {
        return breaker;
    }

    /** Runs a command on the string connection, or returns empty if Redis is skipped or fails. */
    public <T> Optional<T> call(Function<StatefulRedisConnection<String, String>, T> command) {
        if (!breaker.allowsCall()) {
            return Optional.empty();
        }
        try {
            T result = command.apply(strings());
            breaker.recordSuccess();
            return Optional.of(result);
        } catch (RuntimeException failure) {
            breaker.recordFailure(failure);
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

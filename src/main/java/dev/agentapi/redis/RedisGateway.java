package dev.agentapi.redis;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.DefaultEventPublisherOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The service's one way to Redis: connects lazily (a Redis that is down at start-up is no
 * reason not to start), bounds every command, and runs it through the circuit breaker
 * ({@link RedisCircuitBreaker}). A call that fails or is skipped returns empty; callers fall back to
 * PostgreSQL or local state.
 */
public class RedisGateway implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RedisGateway.class);

    private final ClientResources resources;
    private final RedisClient client;
    /** For tracked connections: never reconnected behind their owner's back, since a new connection tracks nothing. */
    private final RedisClient trackingClient;
    private final RedisURI trackingUri;
    private final CircuitBreaker breaker;
    private final List<Runnable> unavailableListeners = new CopyOnWriteArrayList<>();
    private volatile boolean trackingRefused;
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
        // Reconnect quickly once Redis is back (Lettuce's default backs off to 30 s). No command latency
        // statistics: by default Lettuce keeps an HdrHistogram per command type and connection (with a
        // pause detector) and publishes them as events every 10 minutes, which nothing here reads; the App
        // Insights agent times each Redis call itself.
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .commandLatencyPublisherOptions(DefaultEventPublisherOptions.disabled())
                .build();
        this.client = RedisClient.create(resources, uri);
        this.client.setOptions(options(settings).autoReconnect(true).build());
        this.trackingUri = uri;
        this.trackingClient = RedisClient.create(resources, uri);
        this.trackingClient.setOptions(options(settings).autoReconnect(false).protocolVersion(ProtocolVersion.RESP3).build());
        this.breaker = breaker;
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getFromState() == CircuitBreaker.State.CLOSED) {
                unavailableListeners.forEach(Runnable::run);
            }
        });
    }

    private static ClientOptions.Builder options(RedisSettings settings) {
        return ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()));
    }

    /** Runs {@code listener} each time Redis stops being {@link #available()} (the breaker leaves closed). */
    public void onUnavailable(Runnable listener) {
        unavailableListeners.add(listener);
    }

    /**
     * Opens a connection whose reads Redis tracks ({@code CLIENT TRACKING ON} over RESP3, default mode):
     * after a key is read on it, Redis pushes the key's name once the key changes, expires or is evicted,
     * and {@code invalidated} receives it (a null list: everything, after a flush). {@code lost} runs when
     * the connection drops; it is not reconnected, since a new connection would track nothing.
     *
     * <p>Asynchronous, so no request waits for it, and outside the circuit breaker: a connection that could
     * not be opened is an optimization missed, not Redis down (the commands that need Redis say that). Completes
     * with empty when Redis refuses tracking (before 6: no RESP3 or no tracking), then logged once and never
     * tried again; exceptionally when it could not be opened now.
     */
    public CompletableFuture<Optional<StatefulRedisConnection<String, String>>> openTracked(Consumer<List<String>> invalidated,
                                                                                           Runnable lost) {
        if (trackingRefused) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return trackingClient.connectAsync(StringCodec.UTF8, trackingUri).toCompletableFuture().thenCompose(connection -> {
            connection.addListener(message -> {
                if ("invalidate".equals(message.getType())) {
                    List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
                    Object keys = content.size() > 1 ? content.get(1) : null;
                    invalidated.accept(keys instanceof List<?> list ? list.stream().map(String::valueOf).toList() : null);
                }
            });
            connection.addListener(new RedisConnectionStateListener() {
                @Override
                public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                    lost.run();
                }
            });
            return connection.async().clientTracking(TrackingArgs.Builder.enabled()).toCompletableFuture()
                    .thenApply(ok -> Optional.of(connection))
                    .whenComplete((opened, failed) -> {
                        if (failed != null) {
                            connection.closeAsync();
                        }
                    });
        }).exceptionallyCompose(failed -> {
            if (!refusedByRedis(failed)) {
                return CompletableFuture.failedFuture(failed);
            }
            trackingRefused = true;
            log.warn("Redis refused client tracking ({}): agent cache reads go to Redis each time", failed.getMessage());
            return CompletableFuture.completedFuture(Optional.empty());
        });
    }

    private static boolean refusedByRedis(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisCommandExecutionException) {
                return true;
            }
        }
        return false;
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
        trackingClient.shutdown();
        client.shutdown();
        resources.shutdown();
    }
}

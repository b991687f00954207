package dev.agentapi.redis;

import dev.agentapi.LifecyclePhases;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The service's one way to Redis: Spring Data Redis's template over Boot's auto-configured Lettuce connection
 * factory, with every call run through the circuit breaker ({@link RedisCircuitBreaker}). A call that fails or
 * is skipped returns empty; callers fall back to PostgreSQL or local state. Connections are made on first use
 * (a Redis that is down at start-up is no reason not to start).
 *
 * <p>Two connections Spring Data does not make come from the same Lettuce client (the factory's native client,
 * so the same event loops and options): a byte-valued one for Bucket4j, and tracked ones for the near cache. The
 * byte-valued one is closed when the gateway stops ({@link LifecyclePhases#REDIS_GATEWAY}, after everything that uses
 * Redis and before the connection factory, whose phase is 0, shuts the client down).
 *
 * <p>A stopped context may be started again ({@code stop()}/{@code start()}, as a checkpoint and restore does, or a
 * paused test context resumed): the factory then makes a new client, and every connection of the old one is gone. So
 * the gateway stops with the factory (paused too) and tells what was built on its connections to let go of them
 * ({@link #onStop}); the next use opens them again from the new client.
 */
public class RedisGateway implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RedisGateway.class);

    private final StringRedisTemplate template;
    private final LettuceConnectionFactory factory;
    private final RedisURI uri;
    private final CircuitBreaker breaker;
    private final List<Runnable> unavailableListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> stopListeners = new CopyOnWriteArrayList<>();
    private volatile boolean trackingRefused;
    private volatile StatefulRedisConnection<String, byte[]> bytes;
    private volatile boolean running;

    /**
     * {@code uri} is where the factory connects (the same {@code REDIS_URL}), for the connections opened here.
     * Their handshake sets no client library name: Redis before 7.2 refuses {@code CLIENT SETINFO}, which
     * Lettuce ignores but the App Insights agent would report as a failed dependency on each connect.
     */
    public RedisGateway(StringRedisTemplate template, LettuceConnectionFactory factory, RedisURI uri, CircuitBreaker breaker) {
        this.template = template;
        this.factory = factory;
        this.uri = uri;
        this.uri.setLibraryName("");
        this.uri.setLibraryVersion("");
        this.breaker = breaker;
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getFromState() == CircuitBreaker.State.CLOSED) {
                unavailableListeners.forEach(Runnable::run);
            }
        });
    }

    /** Runs {@code listener} each time Redis stops being {@link #available()} (the breaker leaves closed). */
    public void onUnavailable(Runnable listener) {
        unavailableListeners.add(listener);
    }

    /**
     * Runs {@code listener} each time the gateway stops, before its connections close (the context stops or pauses;
     * it may be started again): whatever holds a connection from {@link #bytes()} or {@link #openTracked} lets go of
     * it here and asks again on its next use.
     */
    public void onStop(Runnable listener) {
        stopListeners.add(listener);
    }

    /**
     * Opens a connection whose reads Redis tracks ({@code CLIENT TRACKING ON} over RESP3, default mode):
     * after a key is read on it, Redis pushes the key's name once the key changes, expires or is evicted,
     * and {@code invalidated} receives it (a null list: everything, after a flush). {@code lost} runs when
     * the connection drops, and the connection is closed then: a reconnected one would track nothing.
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
        RedisClient client;
        try {
            client = client();
        } catch (IllegalStateException notStarted) {
            return CompletableFuture.failedFuture(notStarted);
        }
        return client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture().thenCompose(connection -> {
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
                    connection.closeAsync(); // before Lettuce reconnects it: a new connection tracks nothing
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

    /** Runs a command through the template, or returns empty if Redis is skipped or fails. */
    public <T> Optional<T> call(Function<StringRedisTemplate, T> command) {
        return guarded(() -> command.apply(template));
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

    /** A connection with byte-array values, for Bucket4j's proxy manager; opened on first use, reconnected by Lettuce. */
    public synchronized StatefulRedisConnection<String, byte[]> bytes() {
        if (bytes == null || !bytes.isOpen()) {
            bytes = client().connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE), uri);
        }
        return bytes;
    }

    /** The factory's Lettuce client (standalone Redis: REDIS_URL names one server). */
    private RedisClient client() {
        if (!(factory.getNativeClient() instanceof RedisClient client)) {
            throw new IllegalStateException("the Redis connection factory has not started");
        }
        return client;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        stopListeners.forEach(Runnable::run);
        synchronized (this) {
            running = false;
            if (bytes != null) {
                bytes.closeAsync();
                bytes = null;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return LifecyclePhases.REDIS_GATEWAY;
    }
}

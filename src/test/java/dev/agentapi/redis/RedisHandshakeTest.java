package dev.agentapi.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.RequiresRedis;
import dev.agentapi.support.TcpProxy;
import dev.agentapi.support.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The service's Redis connections (the string one for the cache, the byte one for Bucket4j) send no
 * {@code CLIENT SETINFO}: on a Redis older than 7.2 it fails on every connect, and the App Insights
 * agent would report each failure as an exception. What the client sent is read off the wire.
 */
@ExtendWith(RequiresRedis.class)
class RedisHandshakeTest {

    @Test
    void connectionsSendNoClientSetinfo() throws Exception {
        try (TcpProxy relay = TestRedis.relay()) {
            RedisSettings settings = new RedisSettings("redis://127.0.0.1:" + relay.port(),
                    Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
            RedisGateway gateway = new RedisGateway(settings,
                    RedisCircuitBreaker.create(Duration.ofSeconds(2), new SimpleMeterRegistry()));
            try {
                assertThat(gateway.call(connection -> connection.sync().echo("string-connection"))).contains("string-connection");
                assertThat(gateway.bytes().sync().echo("byte-connection".getBytes())).asString().isEqualTo("byte-connection");
            } finally {
                gateway.destroy();
            }

            String sent = relay.sentToServer();
            // the recording saw both connections' traffic, so its silence about SETINFO means something
            assertThat(sent).contains("string-connection").contains("byte-connection");
            assertThat(sent).containsIgnoringCase("HELLO").doesNotContainIgnoringCase("SETINFO");
        }
    }
}

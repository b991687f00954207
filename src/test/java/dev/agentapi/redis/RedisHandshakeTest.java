package dev.agentapi.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.RequiresRedis;
import dev.agentapi.support.TcpProxy;
import dev.agentapi.support.TestRedis;
import dev.agentapi.support.TestRedisGateway;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The connections the gateway opens itself (Bucket4j's byte-valued one, the near cache's tracked one) send no
 * {@code CLIENT SETINFO}: on a Redis older than 7.2 it fails on every connect, and the App Insights agent would
 * report each failure. (Spring Data Redis's own connection, the template's, does send it: its factory offers no
 * setting for the library name.) What the client sent is read off the wire.
 */
@ExtendWith(RequiresRedis.class)
class RedisHandshakeTest {

    @Test
    void theGatewaysOwnConnectionsSendNoClientSetinfo() throws Exception {
        try (TcpProxy relay = TestRedis.relay();
             TestRedisGateway redis = TestRedisGateway.open("redis://127.0.0.1:" + relay.port(), Duration.ofSeconds(2),
                     Duration.ofSeconds(2))) {
            RedisGateway gateway = redis.gateway();
            assertThat(gateway.bytes().sync().echo("byte-connection".getBytes())).asString().isEqualTo("byte-connection");
            var tracked = gateway.openTracked(keys -> { }, () -> { }).get(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(tracked.sync().echo("tracked-connection")).isEqualTo("tracked-connection");
            tracked.close();

            String sent = relay.sentToServer();
            // the recording saw both connections' traffic, so its silence about SETINFO means something
            assertThat(sent).contains("byte-connection").contains("tracked-connection");
            assertThat(sent).containsIgnoringCase("HELLO").containsIgnoringCase("TRACKING").doesNotContainIgnoringCase("SETINFO");
        }
    }
}

package dev.agentapi.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lettuce.core.RedisURI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** {@code REDIS_URL} values: read into a Lettuce {@link RedisURI}, or refused without showing the password. */
class RedisUrlFuzzTest {

    private static final String SECRET = "Zq9";

    /** Lines of the input: scheme choice, password, host and port, the rest (database, query). */
    @FuzzTest(maxDuration = "30s")
    void passwordsNeverShow(byte[] input) {
        String[] parts = new String(input, StandardCharsets.UTF_8).split("\n", -1);
        String scheme = parts.length > 0 && !parts[0].isEmpty() && parts[0].charAt(0) % 2 == 1 ? "rediss" : "redis";
        String password = SECRET + (parts.length > 1 ? parts[1] : "");
        String host = parts.length > 2 ? parts[2] : "";
        String rest = parts.length > 3 ? parts[3] : "";
        String value = scheme + "://:" + password + "@" + host + rest;
        String secret = password.split("[@/?#&;:\\s]", 2)[0];
        if (secret.length() < 4 || value.replaceFirst(java.util.regex.Pattern.quote(secret), "").contains(secret)) {
            return;
        }
        RedisSettings settings = new RedisSettings(value, Duration.ofSeconds(2));
        try {
            RedisURI uri = settings.redisUri();
            assertThat(uri.toString()).as("RedisURI of %s", value).doesNotContain(secret);
        } catch (IllegalArgumentException refused) {
            assertThat(refused).isExactlyInstanceOf(IllegalArgumentException.class);
            assertThat(refused.getMessage()).as("refusal of %s", value).startsWith("REDIS_URL").doesNotContain(secret);
        }
    }
}

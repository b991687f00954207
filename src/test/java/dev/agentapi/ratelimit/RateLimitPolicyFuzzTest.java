package dev.agentapi.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Policy sentences as an operator might mistype them. Inputs: the first line is the sentence, the
 * second a request path to match against it (committed under {@code RateLimitPolicyFuzzTestInputs}).
 */
class RateLimitPolicyFuzzTest {

    /** A sentence parses into a positive limit, or is refused with our message naming it; nothing else escapes. */
    @FuzzTest(maxDuration = "30s")
    void sentences(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String sentence = newline < 0 ? text : text.substring(0, newline);
        String requestPath = newline < 0 ? "/api/agents/browser" : text.substring(newline + 1);
        RateLimitPolicy policy;
        try {
            policy = RateLimitPolicy.parse(sentence);
        } catch (IllegalArgumentException refused) {
            assertThat(refused).as("refusal of %s", sentence).isExactlyInstanceOf(IllegalArgumentException.class);
            assertThat(refused.getMessage()).startsWith("Rate-limit policy '" + sentence + "'");
            return;
        }
        assertThat(policy.capacity()).isPositive();
        assertThat(policy.period()).isPositive();
        // the filter builds a Bucket4j bucket from every policy it accepted: that must work too
        Bucket bucket = Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(policy.capacity()).refillGreedy(policy.capacity(), policy.period()).build())
                .build();
        assertThat(bucket.tryConsumeAndReturnRemaining(1).isConsumed()).isTrue();
        // ...and asks every policy about every request path Tomcat lets through (%-escapes decoded and re-encoded)
        String path = "/" + URLEncoder.encode(requestPath, StandardCharsets.UTF_8).replace("%2F", "/");
        policy.matches("GET", path);
    }
}

package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrowserPropertiesTest {

    private static BrowserProperties withMax(Integer max) {
        return new BrowserProperties("/usr/bin/chromium", List.of(), Duration.ofSeconds(30), max, Duration.ofMinutes(10),
                Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(2), true, true,
                new BrowserProperties.Navigation(List.of(), List.of(), null), null);
    }

    @Test
    void theConfiguredLimitWins() {
        assertThat(withMax(3).browserLimit()).isEqualTo(3);
    }

    @Test
    void unsetTheLimitNeverPlansMoreBrowsersThanMemoryHolds() {
        long mib = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / (1024 * 1024);
        int limit = withMax(null).browserLimit();
        assertThat(limit).isBetween(1, 8);
        if (mib > 1536) {
            assertThat(1024 + limit * 512L).as("%d browsers in %d MiB", limit, mib).isLessThanOrEqualTo(mib);
        }
    }
}

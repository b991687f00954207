package dev.agentapi.browser;

import dev.agentapi.browser.egress.HostResolver;
import dev.agentapi.database.DatabaseMode;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class BrowserConfiguration {

    /**
     * Housekeeping (idle close, heartbeat) runs a few times per idle period, at most every 5 s; the shorter of the two
     * idle periods counts: {@code BROWSER_IDLE_TIMEOUT} and {@code AGENT_HIBERNATE_AFTER} (the agents' hibernation,
     * which the runtime runs as an idle close of their own, see {@link LaunchSpec#idle()}).
     * The warm pool refills on Boot's application task executor (virtual threads on 21+ when enabled).
     */
    @Bean
    PlaywrightBrowserRuntime browserRuntime(BrowserProperties properties, DatabaseMode mode, MeterRegistry meters,
                                            ApplicationEventPublisher events,
                                            @Qualifier("applicationTaskExecutor") Executor refills,
                                            @Value("${agent-api.state.hibernate-after:5m}") Duration hibernateAfter) {
        Duration idle = hibernateAfter.compareTo(properties.idleTimeout()) < 0 ? hibernateAfter : properties.idleTimeout();
        long quarter = Math.max(200, idle.toMillis() / 4);
        return new PlaywrightBrowserRuntime(properties, Duration.ofMillis(Math.min(quarter, 5_000)),
                mode == DatabaseMode.POSTGRESQL, HostResolver.SYSTEM, meters, events, refills);
    }
}

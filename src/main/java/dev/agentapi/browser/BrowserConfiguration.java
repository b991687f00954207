package dev.agentapi.browser;

import dev.agentapi.browser.egress.HostResolver;
import dev.agentapi.database.DatabaseMode;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class BrowserConfiguration {

    /** Housekeeping (idle close, heartbeat) runs a few times per idle period, at most every 5 s. */
    /** The warm pool refills on Boot's application task executor (virtual threads on 21+ when enabled). */
    @Bean
    PlaywrightBrowserRuntime browserRuntime(BrowserProperties properties, DatabaseMode mode, MeterRegistry meters,
                                            ApplicationEventPublisher events,
                                            @Qualifier("applicationTaskExecutor") Executor refills) {
        long quarter = Math.max(200, properties.idleTimeout().toMillis() / 4);
        return new PlaywrightBrowserRuntime(properties, Duration.ofMillis(Math.min(quarter, 5_000)),
                mode == DatabaseMode.POSTGRESQL, HostResolver.SYSTEM, meters, events, refills);
    }
}

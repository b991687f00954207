package dev.agentapi.browser;

import dev.agentapi.database.DatabaseMode;
import dev.agentapi.browser.egress.HostResolver;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class BrowserConfiguration {

    /**
     * Housekeeping (idle close, heartbeat) runs a few times per idle period, at most every 5 s.
     * Events go to whoever owns agents, looked up when they happen (that owner depends on this runtime).
     */
    @Bean
    PlaywrightBrowserRuntime browserRuntime(BrowserProperties properties, DatabaseMode mode, ObjectProvider<BrowserEvents> owners,
                                            MeterRegistry meters) {
        long quarter = Math.max(200, properties.idleTimeout().toMillis() / 4);
        PlaywrightBrowserRuntime runtime = new PlaywrightBrowserRuntime(properties,
                Duration.ofMillis(Math.min(quarter, 5_000)), mode == DatabaseMode.POSTGRESQL, HostResolver.SYSTEM, meters);
        runtime.setEvents(new BrowserEvents() {
            @Override
            public void stopped(String agentId, String reason) {
                owners.orderedStream().filter(o -> o != this).forEach(o -> o.stopped(agentId, reason));
            }

            @Override
            public void crashed(String agentId, String reason) {
                owners.orderedStream().filter(o -> o != this).forEach(o -> o.crashed(agentId, reason));
            }
        });
        return runtime;
    }
}

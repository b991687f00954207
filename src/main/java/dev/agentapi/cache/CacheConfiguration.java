package dev.agentapi.cache;

import dev.agentapi.redis.RedisGateway;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Redis cache when Redis is configured, the in-process one otherwise. */
@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

    @Bean
    AgentCache agentCache(ObjectProvider<RedisGateway> redis, CacheProperties properties, MeterRegistry meters) {
        CacheMetrics metrics = new CacheMetrics(meters);
        RedisGateway gateway = redis.getIfAvailable();
        return gateway != null ? new RedisAgentCache(gateway, properties, metrics) : new LocalAgentCache(properties, metrics);
    }
}

package dev.agentapi.replica;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The replica routes' own port: a connector added through Boot's customizer, and the filter that keeps ports apart. */
@Configuration(proxyBeanMethods = false)
class ReplicaPortConfiguration {

    @Bean
    ReplicaPort replicaPort(ReplicaProperties properties, ReplicaIdentity identity) {
        return new ReplicaPort(properties, identity);
    }

    /** Applies to the application's server only: Actuator's server (MANAGEMENT_PORT) is made in a context of its own. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> replicaConnector(ReplicaPort port) {
        return factory -> factory.addAdditionalConnectors(port.connector());
    }

    /** First of all but the request id (so a 404 here still carries one), ahead of the body limit, security and rate limits. */
    @Bean
    FilterRegistrationBean<ReplicaPortFilter> replicaPortFilter(ReplicaPort port) {
        FilterRegistrationBean<ReplicaPortFilter> registration = new FilterRegistrationBean<>(new ReplicaPortFilter(port));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 6);
        return registration;
    }
}

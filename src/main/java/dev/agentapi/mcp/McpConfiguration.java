package dev.agentapi.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import dev.agentapi.security.CurrentActor;
import dev.agentapi.security.SecurityProperties;
import dev.agentapi.web.ProblemWriter;
import java.time.Duration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP server (the official Java SDK's stateless server) behind {@link McpEndpoint}. Tools run on
 * the request's own thread ({@code immediateExecution}), where its security context and request
 * attributes are, so they act for the caller exactly as a REST call does. Arguments are checked by
 * the same Bean Validation rules as REST bodies, not by a second reading of the schema, so a tool's
 * refusal names the same fields with the same messages.
 */
@Configuration(proxyBeanMethods = false)
class McpConfiguration {

    /** Longer than the longest action a tool may run (browser.max-action-timeout), so the browser's own timeout answers. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    /**
     * MCP's messages spelled as the protocol spells them (camelCase): the application's mapper writes
     * snake_case, which is right for tool results but not for the protocol's own fields.
     */
    @Bean
    McpJsonMapper mcpJsonMapper() {
        return new JacksonMcpJsonMapper(JsonMapper.builder().build());
    }

    /** Origin and protocol-version checks on {@code /mcp}, just ahead of Spring Security's filter chain. */
    @Bean
    FilterRegistrationBean<McpTransportChecks> mcpTransportChecks(McpProperties properties, SecurityProperties security,
                                                                  McpEndpoint endpoint, ProblemWriter problems, CurrentActor actors,
                                                                  ApplicationEventPublisher events) {
        McpTransportChecks checks = new McpTransportChecks(McpTransportChecks.allowedOrigins(properties.allowedOrigins(),
                security.publicBase()), endpoint.protocolVersions(), problems, actors, events);
        FilterRegistrationBean<McpTransportChecks> registration = new FilterRegistrationBean<>(checks);
        registration.addUrlPatterns(McpEndpoint.PATH);
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
        return registration;
    }

    @Bean
    McpEndpoint mcpEndpoint(McpJsonMapper mcpJsonMapper, ObjectProvider<McpStatelessSyncServer> server, McpResources resources) {
        return new McpEndpoint(mcpJsonMapper, server::getObject, resources);
    }

    /**
     * Built on the first {@code /mcp} message, not at start: the SDK's server and its JSON schema
     * validator are some 330 classes that an instance nobody speaks MCP to never needs. That first
     * message pays for building it (0.29 s for a first tools/list here, 0.15 s with the server built at start).
     */
    @Bean(destroyMethod = "close")
    @Lazy
    McpStatelessSyncServer mcpServer(McpEndpoint endpoint, McpJsonMapper mcpJsonMapper, McpTools tools, McpResources resources,
                                     ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return McpServer.sync(endpoint)
                .serverInfo("agent-api", properties == null ? "dev" : properties.getVersion())
                .instructions("Browser agents that run on this service: create_agent, then navigate, snapshot (to see the "
                        + "page's elements), click, fill, press, get_text and screenshot; request_human when only a person can go on "
                        + "(a second factor, a consent page); delete_agent when done. What agents produced (last screenshot and "
                        + "PDF, stored trace, task step results) are resources under agent://{agent_id}/.")
                // resources: no subscriptions and no list-changed notifications (a stateless server has no stream to send them on)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build())
                .jsonMapper(mcpJsonMapper)
                .immediateExecution(true)
                .validateToolInputs(false)
                .requestTimeout(REQUEST_TIMEOUT)
                .tools(tools.specifications())
                .resourceTemplates(resources.templates())
                .build();
    }
}

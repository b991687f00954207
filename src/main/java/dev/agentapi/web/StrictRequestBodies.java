package dev.agentapi.web;

import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.core.annotation.Order;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Request bodies name only fields the operation knows: an unknown one ({@code agentId} for {@code agent_id},
 * a typo) answers 400 naming it instead of being dropped without a word. Only the server's JSON converter reads
 * this way; the application's {@link JsonMapper} stays lenient for what it reads that no client wrote to this
 * operation's schema: cache entries, other replicas' answers, Taskade's answers, queued payloads, MCP arguments.
 */
@Component
@Order(1) // after Boot's JSON customizer (order 0), whose converter this one replaces
class StrictRequestBodies implements ServerHttpMessageConvertersCustomizer {

    private final JsonMapper strict;

    StrictRequestBodies(JsonMapper json) {
        this.strict = json.rebuild().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    @Override
    public void customize(HttpMessageConverters.ServerBuilder builder) {
        builder.withJsonConverter(new JacksonJsonHttpMessageConverter(strict));
    }
}

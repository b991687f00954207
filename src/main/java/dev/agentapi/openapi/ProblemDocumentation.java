package dev.agentapi.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The problems the service answers, with the members they really carry at the top level. Spring's
 * {@code ProblemDetail} bean would be documented with a nested {@code properties} map, but its extension
 * members ({@code errors}, {@code error}, {@code retry_after}, ...) are written beside {@code type} and
 * {@code title}. Three shapes: the service's own problems, the rate and quota limits' (which keep the seed's
 * {@code error}/{@code message}/{@code retry_after}), and the Taskade routes' (which also carry the seed's
 * envelope, {@code success: false} and the route's data field, empty).
 */
@Component
@Order(0)
class ProblemDocumentation implements OpenApiCustomizer {

    static final String PROBLEM = "Problem";
    static final String LIMIT_PROBLEM = "RateLimitProblem";
    static final String TASKADE_PROBLEM = "TaskadeProblem";
    static final String TASKADE_PATHS = "/api/agents/taskade";

    @Override
    public void customise(OpenAPI api) {
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        api.setComponents(components);
        addSchemas(components);
        if (api.getPaths() != null) {
            api.getPaths().values().forEach(item -> item.readOperations().forEach(ProblemDocumentation::document));
        }
        if (components.getSchemas() != null) {
            components.getSchemas().remove("ProblemDetail");
        }
    }

    /** Every 503 tells when to come back. */
    private static void document(Operation operation) {
        if (operation.getResponses() == null) {
            return;
        }
        operation.getResponses().forEach((status, response) -> {
            if (status.equals("503") && response.get$ref() == null) {
                response.addHeaderObject("Retry-After", new Header()
                        .description("Seconds to wait before retrying (sent with every 503 but a shutting-down probe's)")
                        .schema(new IntegerSchema()));
            }
        });
    }

    /** Adds the problem schemas; {@link AccessDocumentation} refers to them too. */
    static void addSchemas(Components components) {
        if (components.getSchemas() != null && components.getSchemas().containsKey(PROBLEM)) {
            return;
        }
        components.addSchemas(PROBLEM, base("An RFC 9457 problem")
                .addProperty("errors", new ObjectSchema().additionalProperties(new StringSchema())
                        .description("Field or parameter (as sent) to what is wrong with it: on validation failures"))
                .addProperty("error", new StringSchema().description("The seed's short error (a missing agent: `Agent not found`)")));
        components.addSchemas(LIMIT_PROBLEM, base("A rate limit or browser quota is exhausted (the seed's members, and the problem's)")
                .addProperty("error", new StringSchema().example("Rate limit exceeded"))
                .addProperty("message", new StringSchema())
                .addProperty("retry_after", new IntegerSchema().format("int64").description("Seconds until the request may be retried"))
                .required(List.of("title", "status", "error", "message", "retry_after")));
        components.addSchemas(TASKADE_PROBLEM, base("A Taskade route's problem, in the seed's envelope as well: `success` false, "
                + "`error`, and the route's data field empty")
                .addProperty("success", new io.swagger.v3.oas.models.media.BooleanSchema()._enum(List.of(false)))
                .addProperty("error", new StringSchema())
                .addProperty("errors", new ObjectSchema().additionalProperties(new StringSchema()))
                .addProperty("retry_after", new IntegerSchema().format("int64").description("With `Retry-After`: seconds to wait"))
                .addProperty("taskade_status", new IntegerSchema().description("The status Taskade answered, on a 502"))
                .addProperty("workspaces", emptyArray())
                .addProperty("projects", emptyArray())
                .addProperty("tasks", emptyArray())
                .addProperty("project", new Schema<>().description("null: nothing was created"))
                .addProperty("task", new Schema<>().description("null: nothing was created"))
                .addProperty("project_id", new StringSchema())
                .required(List.of("title", "status", "success", "error")));
    }

    private static Schema<Object> base(String description) {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", new StringSchema().format("uri-reference")
                .description("What kind of problem (`urn:agent-api:problem:...`); absent means `about:blank`, a problem the status says all about"));
        properties.put("title", new StringSchema());
        properties.put("status", new IntegerSchema().description("The HTTP status"));
        properties.put("detail", new StringSchema().description("What happened, in plain language"));
        properties.put("instance", new StringSchema().format("uri-reference").description("The request's path"));
        Schema<Object> schema = new ObjectSchema().description(description);
        schema.setProperties(properties);
        schema.setRequired(new java.util.ArrayList<>(List.of("title", "status")));
        return schema;
    }

    private static Schema<?> emptyArray() {
        return new io.swagger.v3.oas.models.media.ArraySchema().items(new Schema<>()).maxItems(0);
    }

    static Schema<?> ref(String name) {
        return new Schema<>().$ref("#/components/schemas/" + name);
    }

    static Content problemJson(String schema) {
        return new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                new MediaType().schema(ref(schema)));
    }

    static ApiResponse response(String description, String schema) {
        return new ApiResponse().description(description).content(problemJson(schema));
    }
}

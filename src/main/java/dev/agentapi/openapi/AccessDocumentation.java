package dev.agentapi.openapi;

import dev.agentapi.ratelimit.RateLimitFilter;
import dev.agentapi.security.AccessRules;
import dev.agentapi.security.SecurityProperties;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Documents who may call what, from the rules the service enforces: the ways to authenticate
 * (security schemes, required everywhere but the public probes), 401 on every protected operation,
 * 403 on admin-only ones, and 429 on every rate-limited one. Operations keep their own descriptions
 * of these codes where they have one.
 */
@Component
class AccessDocumentation implements OpenApiCustomizer {

    static final String API_KEY = "ApiKey";
    static final String API_KEY_BEARER = "ApiKeyBearer";
    static final String JWT = "BearerJwt";
    static final String UNAUTHORIZED = "Unauthorized";
    static final String FORBIDDEN = "Forbidden";
    static final String RATE_LIMITED = "RateLimited";
    private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    private static final String PROBLEM_SCHEMA = "ProblemDetail";

    private final boolean jwt;
    private final RateLimitFilter rateLimit;

    AccessDocumentation(SecurityProperties security, RateLimitFilter rateLimit) {
        this.jwt = security.jwt().configured();
        this.rateLimit = rateLimit;
    }

    @Override
    public void customise(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(new Components());
        }
        Components components = api.getComponents();
        addSchemes(components);
        addResponses(components);
        api.setSecurity(requirements());
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                document(path, method, operation)));
    }

    private void document(String path, PathItem.HttpMethod method, Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        ApiResponses responses = operation.getResponses();
        if (AccessRules.isPublic(path)) {
            operation.setSecurity(List.of()); // overrides the global requirement: no credentials
        } else {
            responses.putIfAbsent("401", new ApiResponse().$ref(UNAUTHORIZED));
            if (AccessRules.isAdminOnly(path)) {
                responses.putIfAbsent("403", new ApiResponse().$ref(FORBIDDEN));
            }
        }
        if (rateLimit.limits(method.name(), path)) {
            responses.putIfAbsent("429", new ApiResponse().$ref(RATE_LIMITED));
        }
    }

    private List<SecurityRequirement> requirements() {
        List<SecurityRequirement> anyOf = new ArrayList<>();
        anyOf.add(new SecurityRequirement().addList(API_KEY));
        anyOf.add(new SecurityRequirement().addList(API_KEY_BEARER));
        if (jwt) {
            anyOf.add(new SecurityRequirement().addList(JWT));
        }
        return anyOf;
    }

    private void addSchemes(Components components) {
        components.addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.HEADER).name("X-API-Key")
                .description("An API key (`AGENT_API_KEYS`, or the admin key printed at first start)"));
        components.addSecuritySchemes(API_KEY_BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").bearerFormat("API key")
                .description("The same API key as `Authorization: Bearer <key>`"));
        if (jwt) {
            components.addSecuritySchemes(JWT, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                    .scheme("bearer").bearerFormat("JWT")
                    .description("A JWT from the configured OIDC issuer; roles come from its roles claim"));
        }
    }

    private void addResponses(Components components) {
        Schema<?> problem = problemSchema(components);
        components.addResponses(UNAUTHORIZED, new ApiResponse()
                .description("No credentials, or a key or token that is not valid (unknown, expired, badly signed)")
                .addHeaderObject("WWW-Authenticate", header("`Bearer` (with `error=\"invalid_token\"` for a bad JWT) and `ApiKey header=\"X-API-Key\"`"))
                .content(problemJson(problem)));
        components.addResponses(FORBIDDEN, new ApiResponse()
                .description("Authenticated, but only admins may do this")
                .content(problemJson(problem)));
        Schema<?> limited = new Schema<>().addAllOfItem(problem).addAllOfItem(new ObjectSchema()
                .addProperty("error", new StringSchema().example("Rate limit exceeded"))
                .addProperty("message", new StringSchema())
                .addProperty("retry_after", new IntegerSchema().format("int64").description("Seconds until a token is free")));
        components.addResponses(RATE_LIMITED, new ApiResponse()
                .description("Rate limit exceeded for this caller (principal, or client address without one)")
                .addHeaderObject("Retry-After", header("Seconds until the request may be retried"))
                .addHeaderObject("X-RateLimit-Limit", header("The policy's capacity"))
                .addHeaderObject("X-RateLimit-Remaining", header("Tokens left (0)"))
                .addHeaderObject("X-RateLimit-Reset", header("When the bucket is full again, epoch seconds"))
                .content(problemJson(limited)));
    }

    /** The ProblemDetail schema the controllers already reference, resolved here if none does. */
    private static Schema<?> problemSchema(Components components) {
        if (components.getSchemas() == null || !components.getSchemas().containsKey(PROBLEM_SCHEMA)) {
            ModelConverters.getInstance().readAll(ProblemDetail.class).forEach(components::addSchemas);
        }
        return new Schema<>().$ref(PROBLEM_SCHEMA);
    }

    private static Content problemJson(Schema<?> schema) {
        return new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(schema));
    }

    private static Header header(String description) {
        return new Header().description(description).schema(new StringSchema());
    }
}

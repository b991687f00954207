package dev.agentapi.openapi;

import dev.agentapi.ratelimit.RateLimitFilter;
import dev.agentapi.security.AccessRules;
import dev.agentapi.security.SecurityProperties;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Documents who may call what, from the rules the service enforces: the ways to authenticate
 * (security schemes, required everywhere but the public probes), 401 on every protected operation,
 * 403 on admin-only ones, and 429 on every rate-limited one, whose answers all carry the
 * {@code X-RateLimit-*} headers. Operations keep their own descriptions of these codes where they have one.
 */
@Component
@Order(1) // after ProblemDocumentation: the operations' own problem responses are in their final form
class AccessDocumentation implements OpenApiCustomizer {

    static final String API_KEY = "ApiKey";
    static final String API_KEY_BEARER = "ApiKeyBearer";
    static final String JWT = "BearerJwt";
    static final String UNAUTHORIZED = "Unauthorized";
    static final String FORBIDDEN = "Forbidden";
    static final String RATE_LIMITED = "RateLimited";
    static final List<String> RATE_LIMIT_HEADERS = List.of("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset");

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
            // the limiter writes its headers before anything else answers; the shared 401/403 are documented without
            // them, as an operation that is not limited shares them too
            responses.values().stream().filter(response -> response.get$ref() == null).forEach(response ->
                    RATE_LIMIT_HEADERS.forEach(name -> response.addHeaderObject(name, new Header().$ref("#/components/headers/" + name))));
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
        ProblemDocumentation.addSchemas(components);
        components.addHeaders("X-RateLimit-Limit", header("The capacity of the rate-limit policy this operation falls under"));
        components.addHeaders("X-RateLimit-Remaining", header("Requests left in the current window"));
        components.addHeaders("X-RateLimit-Reset", header("When the window starts again, in epoch seconds"));
        components.addResponses(UNAUTHORIZED, ProblemDocumentation.response(
                "No credentials, or a key or token that is not valid (unknown, expired, badly signed)", ProblemDocumentation.PROBLEM)
                .addHeaderObject("WWW-Authenticate", new Header().required(true).schema(new StringSchema())
                        .description("`Bearer` (with `error=\"invalid_token\"` for a bad JWT) and `ApiKey header=\"X-API-Key\"`")));
        components.addResponses(FORBIDDEN, ProblemDocumentation.response(
                "Authenticated, but only admins may do this", ProblemDocumentation.PROBLEM));
        ApiResponse limited = ProblemDocumentation.response(
                "Rate limit exceeded for this caller (principal, or client address without one), or the caller's browser quota is used up",
                ProblemDocumentation.LIMIT_PROBLEM)
                .addHeaderObject("Retry-After", new Header().required(true).schema(new IntegerSchema())
                        .description("Seconds until the request may be retried"));
        RATE_LIMIT_HEADERS.forEach(name -> limited.addHeaderObject(name, new Header().$ref("#/components/headers/" + name)));
        components.addResponses(RATE_LIMITED, limited);
    }

    private static Header header(String description) {
        return new Header().description(description).required(true).schema(new IntegerSchema().format("int64"));
    }
}

package dev.agentapi.security;

import dev.agentapi.ratelimit.RateLimitFilter;
import dev.agentapi.web.ClientAddressResolver;
import dev.agentapi.web.ProblemWriter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Stateless API security: API keys and (when configured) JWT bearer tokens; public probes and
 * docs; the audit trail and Actuator for admins only; hardened response headers.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /**
     * API responses (JSON, problem details, the API docs' JSON) are no page: if one were ever shown as a
     * document it may load nothing and never be framed (what OWASP's REST Security Cheat Sheet asks of APIs,
     * plus {@code default-src 'none'}). Also 40 characters Tomcat encodes per response, not 270.
     */
    static final String API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

    /** Swagger UI's pages load their own scripts and styles from this origin; nothing may frame the service. */
    static final String DOCS_CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
            + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /** Swagger UI's pages and files. */
    static final List<String> DOCS_UI = List.of("/swagger-ui.html", "/swagger-ui/**");

    /**
     * The operator console's pages: its own scripts, styles and fonts only (no inline code or styles,
     * no eval), screenshots as blob: images it made itself, calls to this origin only, never framed.
     * Trusted Types with no policy make any HTML-string sink (innerHTML and the like) throw.
     */
    static final String CONSOLE_CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'";

    /**
     * {@code /console/**} holds static files only, no secrets: they are served to anybody, and the
     * console then calls the API with the credentials its operator types in. Matched before the API's
     * chain, so API-key and JWT filters never run for them.
     */
    @Bean
    @Order(1)
    SecurityFilterChain consoleSecurity(HttpSecurity http, ClientAddressResolver clients) throws Exception {
        statelessWithHeaders(http.securityMatcher("/console", "/console/**"),
                new ContentSecurityPolicyHeaderWriter(CONSOLE_CONTENT_SECURITY_POLICY), clients)
                .authorizeHttpRequests(a -> a.anyRequest().permitAll());
        return http.build();
    }

    /**
     * What both chains share: stateless (no session, CSRF token, basic or form login, servlet-API wrapper); the
     * given CSP, no referrer, never framed; HSTS only on requests that arrived over TLS.
     */
    private static HttpSecurity statelessWithHeaders(HttpSecurity http, HeaderWriter contentSecurityPolicy,
                                                     ClientAddressResolver clients) throws Exception {
        return http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                // no servlet-API wrapper (getUserPrincipal, isUserInRole): nothing here asks the request who is
                // calling, and the wrapper was one more layer under every header and attribute read
                .servletApi(AbstractHttpConfigurer::disable)
                // No session is ever made (no login form, request cache, CSRF token or session-held security
                // context), so session management is left out with its two filters on every request: the one
                // reacting to a new authentication (session fixation) and the response wrapper keeping session
                // ids out of URLs (Tomcat tracks sessions by cookie only: server.servlet.session.tracking-modes).
                // The security context lives for the request only, as STATELESS would have set it.
                .sessionManagement(AbstractHttpConfigurer::disable)
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .headers(h -> h
                        .addHeaderWriter(contentSecurityPolicy)
                        .referrerPolicy(r -> r.policy(ReferrerPolicy.NO_REFERRER))
                        .frameOptions(f -> f.deny())
                        .httpStrictTransportSecurity(hsts -> hsts
                                .requestMatcher(clients::isSecure)
                                .maxAgeInSeconds(31_536_000)
                                .includeSubDomains(true)));
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeyStore keys, ProblemWriter problems,
                                    SecurityProperties properties, ClientAddressResolver clients, RateLimitFilter rateLimit,
                                    CurrentActor actors, ApplicationEventPublisher events,
                                    ObjectProvider<JwtDecoder> jwtDecoder,
                                    ObjectProvider<Converter<Jwt, AbstractAuthenticationToken>> jwtAuthentication) throws Exception {
        JwtDecoder decoder = jwtDecoder.getIfAvailable();
        URI publicBase = decoder == null ? null : properties.publicBase();
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers(problems, rateLimit, publicBase, actors, events);
        CorsConfigurationSource cors = cors(properties);
        // no origins allowed: no CORS filter on every request either (a preflight then meets authorization as it did)
        statelessWithHeaders(http, apiContentSecurityPolicy(), clients)
                .cors(cors == null ? AbstractHttpConfigurer::disable : c -> c.configurationSource(cors))
                .authorizeHttpRequests(a -> a
                        // the second half of a request already authorized (a live view's stream ending): the security
                        // context is the request's, not carried over, and the answer is committed
                        .dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll()
                        .requestMatchers(AccessRules.matcher(AccessRules.PUBLIC)).permitAll()
                        .requestMatchers(AccessRules.matcher(AccessRules.REPLICA_SIGNED)).permitAll()
                        .requestMatchers(AccessRules.matcher(AccessRules.ADMIN_ONLY)).hasRole(Role.ADMIN.name())
                        .anyRequest().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys, handlers), UsernamePasswordAuthenticationFilter.class);
        if (decoder != null) {
            http.oauth2ResourceServer(o -> o
                    .bearerTokenResolver(jwtOnly())
                    .authenticationEntryPoint(handlers)
                    .accessDeniedHandler(handlers)
                    .jwt(j -> j.decoder(decoder).jwtAuthenticationConverter(jwtAuthentication.getObject()))
                    // RFC 9728 metadata at /.well-known/oauth-protected-resource[/mcp], which MCP clients
                    // read (from the 401's resource_metadata) to find where to get a token
                    .protectedResourceMetadata(m -> m.protectedResourceMetadataCustomizer(metadata -> metadata
                            // the resource as clients know it (PUBLIC_BASE_URL), not as this request's Host named it
                            .claims(claims -> claims.computeIfPresent("resource",
                                    (name, resource) -> publicBase + URI.create(resource.toString()).getRawPath()))
                            .authorizationServer(properties.jwt().issuerUri())
                            .resourceName("Agent API"))));
        }
        return http.build();
    }

    /**
     * No Spring Security observations: with any observation registry present, Spring Security otherwise wraps
     * every filter of both chains in an observing decorator (and every authentication and authorization in an
     * observation), three more observations per request that cost more than the request itself; even made
     * no-ops by {@code management.observations.enable.spring.security=false}, the wrapping alone was a visible
     * share of a request's CPU. The request's own {@code http.server.requests} observation (metrics, trace
     * context) is unaffected.
     */
    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** Spring Security's strict firewall, its header rules checked without a regular expression per header read. */
    @Bean
    HttpFirewall httpFirewall() {
        return HeaderCharacters.firewall();
    }

    /** A request the firewall refuses (encoded slashes, traversal, NUL) answers 400 problem+json. */
    @Bean
    RequestRejectedHandler problemRequestRejectedHandler(ProblemWriter problems) {
        return (request, response, rejected) -> {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "The request URL contains characters or sequences that are not allowed");
            problem.setTitle("Bad Request");
            problems.write(response, problem);
        };
    }

    /** Bearer values that are API keys, not JWTs, are the API-key filter's business. */
    private static BearerTokenResolver jwtOnly() {
        DefaultBearerTokenResolver standard = new DefaultBearerTokenResolver();
        return (HttpServletRequest request) -> {
            if (request.getHeader(ApiKeyAuthenticationFilter.HEADER) != null) {
                return null;
            }
            String token = standard.resolve(request);
            return token != null && ApiKeyAuthenticationFilter.looksLikeJwt(token) ? token : null;
        };
    }

    /** Swagger UI's pages get the policy they work under, every other response the API's. */
    private static HeaderWriter apiContentSecurityPolicy() {
        RequestMatcher docsUi = AccessRules.matcher(DOCS_UI);
        HeaderWriter docs = new ContentSecurityPolicyHeaderWriter(DOCS_CONTENT_SECURITY_POLICY);
        HeaderWriter api = new ContentSecurityPolicyHeaderWriter(API_CONTENT_SECURITY_POLICY);
        return (request, response) -> (docsUi.matches(request) ? docs : api).writeHeaders(request, response);
    }

    /** The allowed origins' CORS rules; null when none are allowed. */
    private static CorsConfigurationSource cors(SecurityProperties properties) {
        List<String> origins = properties.corsAllowedOrigins().stream().filter(SecurityProperties::hasText).toList();
        if (origins.isEmpty()) {
            return null;
        }
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(origins);
        config.addAllowedMethod("*");
        config.addAllowedHeader("*");
        config.addExposedHeader("Location");
        config.addExposedHeader("ETag");
        config.addExposedHeader("X-Request-Id");
        config.addExposedHeader("Retry-After");
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", config);
        return source;
    }
}

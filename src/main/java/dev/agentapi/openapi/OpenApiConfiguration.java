package dev.agentapi.openapi;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.PropertyNamingStrategy;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.Comparator;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import tools.jackson.databind.json.JsonMapper;

/**
 * The document's frame, and the one thing springdoc cannot see by itself: swagger-core reads the DTOs
 * with a Jackson 2 mapper of its own, which knows nothing of the service's Jackson 3 naming strategy
 * ({@code spring.jackson.property-naming-strategy}), so without this it documents {@code agentId} for
 * what travels as {@code agent_id}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    /** Replaces swagger-core's default resolver (springdoc swaps a converter bean of the same class in for it). */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE) // registered first, so last in swagger-core's chain: the others (springdoc's, ours) go before it
    ModelResolver wireNamesModelResolver(JsonMapper json, SpringDocConfigProperties springdoc) {
        boolean openapi31 = springdoc.isOpenapi31();
        var mapper = (openapi31 ? Json31.mapper() : Json.mapper()).copy()
                .setPropertyNamingStrategy(asJackson2(json.serializationConfig().getPropertyNamingStrategy()));
        return new ModelResolver(mapper).openapi31(openapi31);
    }

    /**
     * No {@code servers} entry: springdoc would put the address the document was fetched from there (a
     * random port in tests), so the document would differ with every run. Relative to the document, the
     * service's root is the same wherever it runs.
     */
    @Bean
    OpenAPI agentApiDocument() {
        return new OpenAPI()
                .info(new Info().title("Agent API").version("1")
                        .description("Create, drive and stop headless browser agents; queue tasks for them; read the audit "
                                + "trail. JSON is snake_case; errors are RFC 9457 problems (`application/problem+json`); "
                                + "request bodies with fields an operation does not know are refused (400, `errors` names them)."))
                .servers(List.of(new Server().url("/").description("This service")));
    }

    /**
     * Tags by name: springdoc lists them in the order it meets the controllers, which is the order the class path
     * scan found them in, and that may differ from one machine to the next.
     */
    @Bean
    OpenApiCustomizer tagsByName() {
        return api -> {
            if (api.getTags() != null) {
                api.getTags().sort(Comparator.comparing(Tag::getName));
            }
        };
    }

    /** The service's naming strategy for swagger-core's Jackson 2 mapper: the same translation, by delegation. */
    static PropertyNamingStrategy asJackson2(tools.jackson.databind.PropertyNamingStrategy strategy) {
        if (strategy == null) {
            return null;
        }
        if (strategy instanceof tools.jackson.databind.PropertyNamingStrategies.NamingBase naming) {
            return new PropertyNamingStrategies.NamingBase() {
                @Override
                public String translate(String propertyName) {
                    // NamingBase translates every kind of name alike and reads neither argument (translate is protected)
                    return naming.nameForField(null, null, propertyName);
                }
            };
        }
        throw new IllegalStateException("The API document cannot describe names made by " + strategy.getClass().getName());
    }
}

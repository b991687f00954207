package dev.agentapi.redis;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;

/**
 * Applies when {@code REDIS_URL} ({@code agent-api.redis.url}) names a Redis. Configuration carrying it
 * contributes a role's Redis form; the role's local form applies when that bean is missing. (Not
 * {@code @ConditionalOnProperty}: the property is always present, as an empty string when unset.)
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnExpression("T(org.springframework.util.StringUtils).hasText('${agent-api.redis.url:}')")
public @interface ConditionalOnRedis {
}

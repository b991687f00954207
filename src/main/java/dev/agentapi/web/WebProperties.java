package dev.agentapi.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code trustedProxies}: addresses or CIDRs of the proxies in front of the service whose
 * {@code X-Forwarded-For}/{@code X-Forwarded-Proto} are believed. None by default.
 */
@ConfigurationProperties(prefix = "agent-api.web")
public record WebProperties(@DefaultValue("1MB") DataSize maxRequestBody, @DefaultValue List<String> trustedProxies) {
}

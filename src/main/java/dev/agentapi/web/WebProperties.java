package dev.agentapi.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

@ConfigurationProperties(prefix = "agent-api.web")
public record WebProperties(@DefaultValue("1MB") DataSize maxRequestBody) {
}

package dev.agentapi.mcp;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code allowedOrigins}: the browser origins that may call {@code /mcp} ({@code MCP_ALLOWED_ORIGINS}, e.g.
 * {@code https://console.example.com}, or {@code http://localhost:*} for any port). A request without an
 * {@code Origin} (any client that is not a web page) is not affected; {@code PUBLIC_BASE_URL}'s origin is
 * always allowed.
 */
@ConfigurationProperties(prefix = "agent-api.mcp")
record McpProperties(@DefaultValue List<String> allowedOrigins) {
}

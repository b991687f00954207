package dev.agentapi.mcp;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code allowedOrigins}: the browser origins that may call {@code /mcp} ({@code MCP_ALLOWED_ORIGINS}, e.g.
 * {@code https://console.example.com}, or {@code http://localhost:*} for any port). A request without an
 * {@code Origin} (any client that is not a web page) is not affected; {@code PUBLIC_BASE_URL}'s origin is
 * always allowed.
 * <p>
 * {@code maxResourceSize}: the largest resource {@code resources/read} answers ({@code MCP_MAX_RESOURCE_SIZE}, 20 MB as
 * the screenshot and PDF limits); a larger one (a long trace) is refused with a pointer to its REST download, which
 * streams it rather than holding it base64-encoded in one JSON answer.
 */
@ConfigurationProperties(prefix = "agent-api.mcp")
record McpProperties(@DefaultValue List<String> allowedOrigins, @DefaultValue("20MB") DataSize maxResourceSize) {

    McpProperties {
        if (maxResourceSize.toBytes() < 1 || maxResourceSize.toBytes() > 256L * 1024 * 1024) {
            throw new IllegalArgumentException("agent-api.mcp.max-resource-size must be 1 B to 256 MB");
        }
    }
}

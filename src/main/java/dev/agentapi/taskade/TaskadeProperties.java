package dev.agentapi.taskade;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the service reaches Taskade. The key comes from {@code TASKADE_API_KEY} only and is never
 * printed: {@link #toString()} leaves it out. {@code workspaceId} ({@code TASKADE_WORKSPACE_ID}) is
 * the workspace every user of this service shares; unset, every workspace the key sees is shared.
 */
@ConfigurationProperties(prefix = "agent-api.taskade")
public record TaskadeProperties(String apiKey,
                                @DefaultValue("https://www.taskade.com/api/v1") String apiUrl,
                                String workspaceId,
                                @DefaultValue("2s") Duration connectTimeout,
                                @DefaultValue("10s") Duration readTimeout,
                                @DefaultValue("2") int readRetries,
                                @DefaultValue("250ms") Duration retryDelay,
                                @DefaultValue Breaker breaker,
                                @DefaultValue("30s") Duration healthTtl) {

    /** Opens when half of the last {@code window} calls (at least {@code minimumCalls}) failed; stays open {@code openFor}. */
    public record Breaker(@DefaultValue("50") float failureRatePercent,
                          @DefaultValue("10") int window,
                          @DefaultValue("5") int minimumCalls,
                          @DefaultValue("30s") Duration openFor) {
    }

    public boolean configured() {
        return apiKey != null && !apiKey.isBlank();
    }

    public boolean hasWorkspace() {
        return workspaceId != null && !workspaceId.isBlank();
    }

    @Override
    public String toString() {
        return "TaskadeProperties[apiUrl=" + apiUrl + ", configured=" + configured() + ", workspaceId=" + workspaceId
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
    }
}

package dev.agentapi.agent;

import dev.agentapi.browser.BrowserChannel;
import java.time.Instant;

/**
 * A list page's agent: every column but its {@code config} (JSON of up to 16 KiB, read with one agent).
 * A Spring Data interface projection, so list queries select these columns only.
 */
interface AgentSummary {

    String getId();

    AgentStatus getStatus();

    String getStatusReason();

    BrowserChannel getChannel();

    BrowserChannel getEffectiveChannel();

    boolean isHeadless();

    int getViewportWidth();

    int getViewportHeight();

    String getUserAgent();

    String getCreatedBy();

    Instant getCreatedAt();

    Instant getUpdatedAt();

    long getTotalActions();

    long getTotalErrors();

    Instant getLastActionAt();

    Long getVersion();
}

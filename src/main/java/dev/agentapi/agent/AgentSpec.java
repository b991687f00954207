package dev.agentapi.agent;

import dev.agentapi.browser.BrowserChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The browser settings of a create request, resolved from top-level fields or, as older clients
 * send them, from inside {@code config}. Top-level values win. {@code downloads}: the config asks for
 * downloads ({@code "downloads": true}); without it a browser saves none.
 */
record AgentSpec(BrowserChannel channel, boolean headless, int width, int height, boolean downloads) {

    /** The config key that turns downloads on for an agent. */
    static final String DOWNLOADS = "downloads";

    static final int DEFAULT_WIDTH = 1920;
    static final int DEFAULT_HEIGHT = 1080;

    static AgentSpec of(CreateAgentRequest request) {
        Map<String, Object> config = request.config() == null ? Map.of() : request.config();
        Map<String, String> errors = new LinkedHashMap<>();

        BrowserChannel channel = BrowserChannel.CHROMIUM;
        if (request.channel() != null) {
            channel = BrowserChannel.of(request.channel()).orElse(BrowserChannel.CHROMIUM);
        } else if (config.containsKey("channel")) {
            Object value = config.get("channel");
            channel = value instanceof String s ? BrowserChannel.of(s).orElse(null) : null;
            if (channel == null) {
                errors.put("config.channel", "must be one of msedge, chrome, chromium");
            }
        }

        boolean headless = true;
        if (request.headless() != null) {
            headless = request.headless();
        } else if (config.containsKey("headless")) {
            if (config.get("headless") instanceof Boolean b) {
                headless = b;
            } else {
                errors.put("config.headless", "must be a boolean");
            }
        }
        boolean downloads = false;
        if (config.containsKey(DOWNLOADS)) {
            if (config.get(DOWNLOADS) instanceof Boolean b) {
                downloads = b;
            } else {
                errors.put("config." + DOWNLOADS, "must be a boolean");
            }
        }
        if (config.containsKey(AgentStates.PERSIST_STATE) && !(config.get(AgentStates.PERSIST_STATE) instanceof Boolean)) {
            errors.put("config." + AgentStates.PERSIST_STATE, "must be a boolean");
        }
        if (!errors.isEmpty()) {
            throw AgentProblems.invalid(errors);
        }
        int width = request.viewport() != null && request.viewport().width() != null ? request.viewport().width() : DEFAULT_WIDTH;
        int height = request.viewport() != null && request.viewport().height() != null ? request.viewport().height() : DEFAULT_HEIGHT;
        return new AgentSpec(channel, headless, width, height, downloads);
    }

    /**
     * Whether a stored or changed config asks for downloads; refused (400) when {@code downloads}, or
     * {@code persist_state}, is not a boolean.
     */
    static boolean downloads(Map<String, Object> config) {
        Object value = config == null ? null : config.get(DOWNLOADS);
        if (value != null && !(value instanceof Boolean)) {
            throw AgentProblems.invalid(Map.of("config." + DOWNLOADS, "must be a boolean"));
        }
        Object persist = config == null ? null : config.get(AgentStates.PERSIST_STATE);
        if (persist != null && !(persist instanceof Boolean)) {
            throw AgentProblems.invalid(Map.of("config." + AgentStates.PERSIST_STATE, "must be a boolean"));
        }
        return Boolean.TRUE.equals(value);
    }
}

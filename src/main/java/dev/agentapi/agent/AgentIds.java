package dev.agentapi.agent;

import java.util.UUID;

/** What an agent id may look like, and how new ones are made. */
final class AgentIds {

    static final String PATTERN = "^[A-Za-z0-9_.-]{1,255}$";
    private static final java.util.regex.Pattern COMPILED = java.util.regex.Pattern.compile(PATTERN);

    private AgentIds() {
    }

    static boolean isWellFormed(String id) {
        return id != null && COMPILED.matcher(id).matches();
    }

    static String generate() {
        return "agent_" + UUID.randomUUID().toString().replace("-", "");
    }
}

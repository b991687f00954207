package dev.agentapi.agent;

/** An agent with its JSON as clients receive it: {@code source} as cached, {@code bytes} as sent. */
record AgentJson(AgentView view, String source, byte[] bytes) {
}

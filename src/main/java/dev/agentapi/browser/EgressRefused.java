package dev.agentapi.browser;

/**
 * The egress proxy refused a request of an agent's browser: {@code target} is the {@code host:port} asked for,
 * {@code kind} {@code http} or {@code tunnel}; {@code reason} names the rule and the address (for operators,
 * never for the page or the client).
 */
public record EgressRefused(String agentId, String kind, String target, String reason) {
}

package dev.agentapi.ratelimit;

/** A request (or work charged as one) refused by a rate-limit policy; {@code caller} is {@code user:<id>} or {@code ip:<address>}. */
public record RateLimitRefused(String caller, String policy) {
}

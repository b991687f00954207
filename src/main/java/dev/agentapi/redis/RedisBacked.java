package dev.agentapi.redis;

/**
 * A role whose state lives in Redis while Redis is configured and answers, and in this process otherwise
 * (the agent cache, the rate-limit buckets). The {@code redis} health report lists each one and where its
 * state lives right now, without this package knowing the roles.
 */
public interface RedisBacked {

    /** The role's name in the {@code redis} health report, e.g. {@code cache}. */
    String role();

    /** {@code redis} or {@code local}: where the role's state lives right now. */
    String backend();
}

package dev.agentapi.security;

/**
 * A request refused for who sent it: 401 (no valid credentials) or 403 (not allowed). {@code route} is the
 * path without its query; {@code actor} who sent it, as far as is known.
 */
public record AccessRefused(int status, String method, String route, String reason, Actor actor) {

    /** Paths are bounded where they are stored: a refused request's path is the caller's to choose. */
    private static final int MAX_ROUTE = 200;

    public AccessRefused {
        route = route == null ? "" : route.length() > MAX_ROUTE ? route.substring(0, MAX_ROUTE) : route;
    }
}

package dev.agentapi.security;

/**
 * Who is behind the current request, as recorded on rows and audit entries.
 * {@code userId} is the principal id; {@code ipAddress} and {@code userAgent} describe the client.
 */
public record Actor(String userId, String userEmail, String ipAddress, String userAgent) {

    public static final String ANONYMOUS = "anonymous";

    public static Actor system() {
        return new Actor("system", null, null, null);
    }
}

package dev.agentapi.security;

/**
 * Who is behind the current request, as recorded on rows and audit entries. {@code userId} is a caller's
 * {@link OwnerId} value ({@code key:alice}, {@code jwt:<issuer tag>:<subject>}), or {@code system} / {@code anonymous},
 * which carry no source and so are never any caller's owner id; {@code admin} callers see every agent, others only
 * their own.
 */
public record Actor(String userId, String userEmail, String ipAddress, String userAgent, boolean admin) {

    public static final String ANONYMOUS = "anonymous";

    /** The service's own work (reconciling, reaping, recording a crash): named explicitly, with {@code CurrentActor.runAs}. */
    public static Actor system() {
        return new Actor("system", null, null, null, true);
    }

    /** Nobody known: no rights beyond what anybody has. */
    public static Actor anonymous() {
        return new Actor(ANONYMOUS, null, null, null, false);
    }

    /** May this actor see and change what {@code ownerId} created? Nobody owns what {@code anonymous} is recorded on. */
    public boolean mayAccess(String ownerId) {
        return admin || (userId != null && userId.equals(ownerId) && !ANONYMOUS.equals(userId));
    }
}

package dev.agentapi.security;

import dev.agentapi.web.ClientAddressResolver;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import java.util.function.Supplier;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Resolves the {@link Actor} of the request being served. Work outside a request names whom it acts for with
 * {@link #runAs} ({@link Actor#system()} for the service's own work, the owner for a queued task); without that it
 * is an anonymous caller with no rights, never the system: identity fails closed.
 */
@Component
public class CurrentActor {

    private static final int MAX_USER_AGENT = 512;

    private final ClientAddressResolver addresses;
    private final SecurityProperties properties;
    /** Who this thread works for, when it works outside a request ({@link #runAs}). */
    private final ThreadLocal<Actor> acting = new ThreadLocal<>();

    public CurrentActor(ClientAddressResolver addresses, SecurityProperties properties) {
        this.addresses = addresses;
        this.properties = properties;
    }

    /**
     * Runs {@code work} on this thread as {@code actor}: background work done for a user (a queued task)
     * is owned, checked and audited as theirs, not as the system's.
     */
    public <T> T runAs(Actor actor, Supplier<T> work) {
        Actor previous = acting.get();
        acting.set(actor);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                acting.remove();
            } else {
                acting.set(previous);
            }
        }
    }

    /** {@link #runAs(Actor, Supplier)} for work that answers nothing. */
    public void runAs(Actor actor, Runnable work) {
        runAs(actor, () -> {
            work.run();
            return null;
        });
    }

    public Actor get() {
        Actor override = acting.get();
        if (override != null) {
            return override;
        }
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (!(attributes instanceof ServletRequestAttributes servlet)) {
            return Actor.anonymous();
        }
        HttpServletRequest request = servlet.getRequest();
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        boolean authenticated = authentication != null && authentication.isAuthenticated()
                && !"anonymousUser".equals(authentication.getPrincipal());
        String userId = authenticated ? authentication.getName() : Actor.ANONYMOUS;
        boolean admin = authenticated && isAdmin(authentication);
        String userAgent = request.getHeader("User-Agent");
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT);
        }
        return new Actor(userId, email(authentication), addresses.clientAddress(request), userAgent, admin);
    }

    private static boolean isAdmin(Authentication authentication) {
        for (GrantedAuthority authority : authentication.getAuthorities()) { // a loop: this runs on every request
            if (Role.ADMIN.authority().equals(authority.getAuthority())) {
                return true;
            }
        }
        return false;
    }

    /** The token's email claim, left out when it cannot be stored (too long, or holding control characters such as NUL). */
    private String email(Authentication authentication) {
        if (authentication instanceof JwtAuthenticationToken jwt) {
            String email = jwt.getToken().getClaimAsString(properties.jwt().emailClaim());
            return email != null && email.length() <= 320 && email.chars().noneMatch(Character::isISOControl) ? email : null;
        }
        return null;
    }
}

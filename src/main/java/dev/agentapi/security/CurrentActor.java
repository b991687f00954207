package dev.agentapi.security;

import dev.agentapi.web.ClientAddressResolver;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** Resolves the {@link Actor} of the request being served (or the system, outside a request). */
@Component
public class CurrentActor {

    private static final int MAX_USER_AGENT = 512;

    private final ClientAddressResolver addresses;

    public CurrentActor(ClientAddressResolver addresses) {
        this.addresses = addresses;
    }

    public Actor get() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (!(attributes instanceof ServletRequestAttributes servlet)) {
            return Actor.system();
        }
        HttpServletRequest request = servlet.getRequest();
        Principal principal = request.getUserPrincipal();
        String userId = principal == null ? Actor.ANONYMOUS : principal.getName();
        String userAgent = request.getHeader("User-Agent");
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT);
        }
        return new Actor(userId, null, addresses.clientAddress(request), userAgent);
    }
}

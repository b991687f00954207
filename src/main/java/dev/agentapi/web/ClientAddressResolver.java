package dev.agentapi.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;

/**
 * The address of the client behind a request, the one way every caller (audit, rate limiter)
 * resolves it. {@code X-Forwarded-For} and {@code X-Forwarded-Proto} are believed only when the
 * peer is a configured trusted proxy (none by default), so a client cannot pick its own identity.
 */
@Component
public class ClientAddressResolver {

    private final List<IpAddressMatcher> trustedProxies;

    public ClientAddressResolver(WebProperties properties) {
        this.trustedProxies = properties.trustedProxies().stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(IpAddressMatcher::new).toList();
    }

    public String clientAddress(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (!isTrusted(peer)) {
            return peer;
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        // right to left: the first hop not added by one of our own proxies is the client
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && !isTrusted(hop)) {
                return hop.length() <= 64 ? hop : hop.substring(0, 64);
            }
        }
        return peer;
    }

    /** Served over TLS, directly or behind a trusted TLS-terminating proxy. */
    public boolean isSecure(HttpServletRequest request) {
        return request.isSecure()
                || (isTrusted(request.getRemoteAddr()) && "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto")));
    }

    private boolean isTrusted(String address) {
        if (address == null || trustedProxies.isEmpty()) {
            return false;
        }
        for (IpAddressMatcher matcher : trustedProxies) {
            try {
                if (matcher.matches(address)) {
                    return true;
                }
            } catch (IllegalArgumentException notAnAddress) {
                return false;
            }
        }
        return false;
    }
}

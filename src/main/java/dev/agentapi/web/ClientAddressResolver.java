package dev.agentapi.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/**
 * The address of the client behind a request. Today the TCP peer; the rate-limiting work adds
 * trusted proxies, so every caller (audit, limiter) resolves clients the same way.
 */
@Component
public class ClientAddressResolver {

    public String clientAddress(HttpServletRequest request) {
        return request.getRemoteAddr();
    }
}

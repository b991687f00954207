package dev.agentapi.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A caller authenticated by API key. Holds the owner ({@code key:<name>}), never the key. */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final String ownerId;

    ApiKeyAuthentication(ApiKeyOwner owner) {
        super(List.of(new SimpleGrantedAuthority(owner.role().authority())));
        this.ownerId = owner.owner().value();
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return ownerId;
    }

    @Override
    public String getName() {
        return ownerId;
    }
}

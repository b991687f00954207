package dev.agentapi.security;

import java.util.Locale;
import java.util.Optional;

/** What a caller may do: a {@code user} works with their own agents, an {@code admin} with all, and reads the audit trail. */
public enum Role {
    USER, ADMIN;

    private final String authority = "ROLE_" + name();

    public String authority() {
        return authority;
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> of(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "user" -> Optional.of(USER);
            case "admin" -> Optional.of(ADMIN);
            default -> Optional.empty();
        };
    }
}

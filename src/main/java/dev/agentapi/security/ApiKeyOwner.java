package dev.agentapi.security;

/** An API key as the service keeps it: whose it is ({@code key:<name>}), what it may do, and the key's SHA-256. */
record ApiKeyOwner(OwnerId owner, Role role, byte[] hash) {
}

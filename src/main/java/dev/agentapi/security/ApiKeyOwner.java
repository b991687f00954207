package dev.agentapi.security;

/** An API key as the service keeps it: whose it is, what it may do, and the key's SHA-256. */
record ApiKeyOwner(String ownerId, Role role, byte[] hash) {
}

package dev.agentapi.audit;

public enum AuditAction {
    CREATE, UPDATE, DELETE, EXECUTE
}

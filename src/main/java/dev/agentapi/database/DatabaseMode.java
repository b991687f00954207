package dev.agentapi.database;

/** Which PostgreSQL the service talks to; readiness reports it. */
public enum DatabaseMode {
    POSTGRESQL("postgresql"),
    EMBEDDED("embedded");

    private final String label;

    DatabaseMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

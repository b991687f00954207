package dev.agentapi.agent;

import dev.agentapi.replica.ReplicaIdentity;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * This replica as the others see it: its id, the address they forward to, and the agent leases it
 * holds. Always up: it reports, it decides nothing about readiness.
 */
@Component("replica")
class ReplicaHealth implements HealthIndicator {

    private final ReplicaIdentity self;
    private final AgentLeases leases;

    ReplicaHealth(ReplicaIdentity self, AgentLeases leases) {
        this.self = self;
        this.leases = leases;
    }

    @Override
    public Health health() {
        return Health.up().withDetail("id", self.id())
                .withDetail("advertised_url", self.advertisedUrl())
                .withDetail("leases_held", leases.heldCount())
                .withDetail("lease_ttl_seconds", self.properties().leaseTtl().toSeconds())
                .build();
    }
}

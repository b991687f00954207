package bench.bare;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** -Pjpa only: one entity, so that Hibernate builds a metamodel and Spring Data a repository. */
@Entity
@Table(name = "agent")
public class AgentRow {

    @Id
    String id;

    String status;

    Instant createdAt;

    @Version
    long version;
}

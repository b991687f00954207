package bench.bare;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** -Pstack only: one entity, so that Hibernate builds a metamodel and Spring Data a repository. */
@Entity
@Table(name = "agent")
public class AgentRow {

    @Id
    String id;

    String status;

    String channel;

    boolean headless;

    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    String config;

    String createdBy;

    Instant createdAt;

    Instant updatedAt;

    @Version
    long version;
}

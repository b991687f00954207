package bench.bare;

import org.springframework.data.jpa.repository.JpaRepository;

/** -Pstack only. */
public interface AgentRows extends JpaRepository<AgentRow, String> {
}

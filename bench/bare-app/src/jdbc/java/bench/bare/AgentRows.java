package bench.bare;

import org.springframework.data.repository.ListCrudRepository;

/** -Pjdbc only. */
public interface AgentRows extends ListCrudRepository<AgentRow, String> {
}

package dev.agentapi.project;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.transaction.annotation.Transactional;

@Transactional(readOnly = true)
interface MirroredTaskRepository extends JpaRepository<MirroredTask, String> {

    List<MirroredTask> findByIdInAndSource(Collection<String> ids, String source);
}

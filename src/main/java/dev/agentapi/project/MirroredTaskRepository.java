package dev.agentapi.project;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

interface MirroredTaskRepository extends JpaRepository<MirroredTask, String> {

    List<MirroredTask> findByIdInAndSource(Collection<String> ids, String source);
}

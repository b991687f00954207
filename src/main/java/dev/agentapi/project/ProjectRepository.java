package dev.agentapi.project;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.transaction.annotation.Transactional;

@Transactional(readOnly = true)
interface ProjectRepository extends JpaRepository<Project, String> {

    boolean existsByIdAndCreatedByAndDeletedAtIsNull(String id, String createdBy);
}

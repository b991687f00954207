package dev.agentapi.project;

import org.springframework.data.jpa.repository.JpaRepository;

interface ProjectRepository extends JpaRepository<Project, String> {

    boolean existsByIdAndCreatedByAndDeletedAtIsNull(String id, String createdBy);
}

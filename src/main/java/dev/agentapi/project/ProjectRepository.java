package dev.agentapi.project;

import java.util.Collection;
import java.util.Set;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

@Transactional(readOnly = true)
interface ProjectRepository extends JpaRepository<Project, String> {

    boolean existsByIdAndCreatedByAndDeletedAtIsNull(String id, String createdBy);

    @Query("select p.id from Project p where p.id in :ids and p.createdBy = :createdBy and p.deletedAt is null")
    Set<String> findIdsCreatedBy(@Param("ids") Collection<String> ids, @Param("createdBy") String createdBy);
}

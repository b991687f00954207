package dev.agentapi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import jakarta.persistence.Entity;
import org.junit.jupiter.api.Test;
import org.springframework.data.repository.Repository;
import org.springframework.web.bind.annotation.RestController;

/** Keeps the package-by-feature layering honest. */
class ArchitectureTest {

    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.agentapi");

    /** A feature's repositories and entities are its internals: only its own package touches them. */
    static final ArchCondition<JavaClass> KEEP_TO_OWN_FEATURE_INTERNALS =
            new ArchCondition<>("touch repositories and entities of their own feature only") {
                @Override
                public void check(JavaClass item, ConditionEvents events) {
                    for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                        JavaClass target = dependency.getTargetClass();
                        boolean internal = target.isAssignableTo(Repository.class) || target.isAnnotatedWith(Entity.class);
                        if (internal && target.getPackageName().startsWith("dev.agentapi")
                                && !target.getPackageName().equals(item.getPackageName())) {
                            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                        }
                    }
                }
            };

    @Test
    void featuresTouchOnlyTheirOwnRepositoriesAndEntities() {
        classes().should(KEEP_TO_OWN_FEATURE_INTERNALS).check(CLASSES);
    }

    @Test
    void controllersGoThroughServicesNotRepositories() {
        noClasses().that().areAnnotatedWith(RestController.class)
                .should().dependOnClassesThat().areAssignableTo(Repository.class)
                .check(CLASSES);
    }

    @Test
    void featuresHaveNoCycles() {
        slices().matching("dev.agentapi.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void sharedWebLayerDependsOnNoFeature() {
        noClasses().that().resideInAPackage("dev.agentapi.web..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.agentapi.agent..", "dev.agentapi.audit..", "dev.agentapi.task..", "dev.agentapi.project..",
                        "dev.agentapi.taskade..")
                .check(CLASSES);
    }

    /** The mirror knows nothing of Taskade's client: Taskade calls it, never the other way round. */
    @Test
    void theMirrorDoesNotReachTaskade() {
        noClasses().that().resideInAPackage("dev.agentapi.project..")
                .should().dependOnClassesThat().resideInAPackage("dev.agentapi.taskade..")
                .check(CLASSES);
    }
}

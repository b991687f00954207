package dev.agentapi;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaParameter;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.agentapi.redis.ConditionalOnRedis;
import dev.agentapi.redis.RedisGateway;
import jakarta.persistence.Entity;
import jakarta.validation.Constraint;
import jakarta.validation.Valid;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.data.repository.Repository;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.RequestBody;
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

    /**
     * MCP is a front door beside the REST controllers: its tools call the services the controllers
     * call, never a controller and never the browser runtime underneath, so the services' checks
     * (ownership, capacity, guard, audit) cannot be skipped.
     */
    @Test
    void mcpToolsCallServicesNotControllersOrTheBrowserRuntime() {
        noClasses().that().resideInAPackage("dev.agentapi.mcp..")
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe("a controller of another feature or the browser runtime",
                        (JavaClass target) -> target.getPackageName().startsWith("dev.agentapi.")
                                && !target.getPackageName().startsWith("dev.agentapi.mcp")
                                && (target.isAnnotatedWith(RestController.class)
                                        || target.isAssignableTo("dev.agentapi.browser.BrowserRuntime"))))
                .check(CLASSES);
    }

    /** The mirror knows nothing of Taskade's client: Taskade calls it, never the other way round. */
    @Test
    void theMirrorDoesNotReachTaskade() {
        noClasses().that().resideInAPackage("dev.agentapi.project..")
                .should().dependOnClassesThat().resideInAPackage("dev.agentapi.taskade..")
                .check(CLASSES);
    }

    /**
     * The queue sits below the features whose work it runs: it defines {@code TaskHandler}, and each feature
     * implements it for its own task type ({@code browser.actions} in agent, {@code taskade.task} in taskade).
     */
    @Test
    void theQueueDoesNotKnowTheFeaturesItRuns() {
        noClasses().that().resideInAPackage("dev.agentapi.task..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.agentapi.agent..", "dev.agentapi.taskade..")
                .check(CLASSES);
    }

    /**
     * Health is about health itself (probes, the seed's report, bounded cached checks): each feature contributes
     * the indicator that reports on it from its own package, and health knows none of them, not even by type.
     */
    @Test
    void healthDependsOnNoFeature() {
        noClasses().that().resideInAPackage("dev.agentapi.health..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.agentapi..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("dev.agentapi.health.."))))
                .check(CLASSES);
    }

    /**
     * Owner ids are made where callers authenticate, nowhere else: features store and compare the string the
     * {@code Actor} carries, so no feature can make an owner id of another source (or none) and merge two owners.
     */
    @Test
    void onlySecurityMakesOwnerIds() {
        noClasses().that().resideOutsideOfPackage("dev.agentapi.security..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.agentapi.security.OwnerId")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.agentapi.security.OwnerId$Source")
                .check(CLASSES);
    }

    static final String AGENT = "dev.agentapi.agent.BrowserAgent";
    static final String LIFECYCLE = "dev.agentapi.agent.AgentLifecycle";

    /**
     * One writer of agent status: the methods of the agent entity that write its status (found by
     * what they do, not by name, so a new setter is caught too) are called from the lifecycle only.
     */
    @Test
    void onlyTheLifecycleChangesAnAgentsStatus() {
        JavaClass agent = CLASSES.get(AGENT);
        Set<JavaCodeUnit> statusWriters = agent.getCodeUnits().stream()
                .filter(unit -> !unit.isConstructor())
                .filter(unit -> unit.getFieldAccesses().stream().anyMatch(ArchitectureTest::writesStatus))
                .collect(Collectors.toSet());
        assertThat(statusWriters).as("the entity's status transitions").isNotEmpty();

        Set<String> callers = statusWriters.stream()
                .flatMap(unit -> unit.getAccessesToSelf().stream())
                .map(JavaAccess::getOriginOwner)
                .map(JavaClass::getName)
                .collect(Collectors.toSet());
        assertThat(callers).as("classes calling %s", statusWriters.stream().map(JavaCodeUnit::getName).sorted().toList())
                .containsOnly(LIFECYCLE);
        assertThat(agent.getFieldAccessesToSelf().stream().filter(ArchitectureTest::writesStatus)
                .map(access -> access.getOriginOwner().getName()))
                .as("nothing outside the entity writes its status field").allMatch(AGENT::equals);
    }

    private static boolean writesStatus(JavaFieldAccess access) {
        AccessTarget.FieldAccessTarget target = access.getTarget();
        return access.getAccessType() == JavaFieldAccess.AccessType.SET && target.getName().equals("status")
                && target.getOwner().getName().equals(AGENT);
    }

    /**
     * Controllers validate before services run: every request body is checked with Bean Validation at the door.
     * A body taken as a raw {@code String} is not JSON the controller reads (a forwarded action, an MCP message),
     * handed on as it came.
     */
    @Test
    void controllersValidateRequestBodies() {
        methods().that().areDeclaredInClassesThat().areAnnotatedWith(RestController.class)
                .should(new ArchCondition<JavaMethod>("annotate every @RequestBody parameter with @Valid") {
                    @Override
                    public void check(JavaMethod method, ConditionEvents events) {
                        for (JavaParameter parameter : method.getParameters()) {
                            if (parameter.isAnnotatedWith(RequestBody.class) && !parameter.getRawType().isEquivalentTo(String.class)
                                    && !parameter.isAnnotatedWith(Valid.class)
                                    && !parameter.isAnnotatedWith(Validated.class)) {
                                events.add(SimpleConditionEvent.violated(method,
                                        method.getFullName() + " takes an unvalidated request body"));
                            }
                        }
                    }
                })
                .allowEmptyShould(true)
                .check(CLASSES);
    }

    /**
     * {@code @Valid} on a body whose type declares no constraint checks nothing: each such type carries at least one
     * (on itself, on a field or record component, or a nested {@code @Valid}); a sealed or abstract type, on each of
     * its implementations.
     */
    @Test
    void validatedRequestBodiesDeclareConstraints() {
        methods().that().areDeclaredInClassesThat().areAnnotatedWith(RestController.class)
                .should(new ArchCondition<JavaMethod>("take @Valid request bodies whose types declare constraints") {
                    @Override
                    public void check(JavaMethod method, ConditionEvents events) {
                        for (JavaParameter parameter : method.getParameters()) {
                            if (parameter.isAnnotatedWith(RequestBody.class)
                                    && (parameter.isAnnotatedWith(Valid.class) || parameter.isAnnotatedWith(Validated.class))
                                    && !declaresConstraints(parameter.getRawType())) {
                                events.add(SimpleConditionEvent.violated(method, method.getFullName() + " validates a "
                                        + parameter.getRawType().getName() + " body, which declares no constraint"));
                            }
                        }
                    }
                })
                .allowEmptyShould(true)
                .check(CLASSES);
    }

    static boolean declaresConstraints(JavaClass type) {
        if (type.isInterface() || type.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.ABSTRACT)) {
            Set<JavaClass> implementations = type.getSubclasses();
            return !implementations.isEmpty() && implementations.stream().allMatch(ArchitectureTest::declaresConstraints);
        }
        return type.getAnnotations().stream().anyMatch(ArchitectureTest::isConstraint)
                || type.getFields().stream().flatMap(field -> field.getAnnotations().stream()).anyMatch(ArchitectureTest::isConstraint)
                || type.getMethods().stream().flatMap(m -> m.getAnnotations().stream()).anyMatch(ArchitectureTest::isConstraint);
    }

    /** {@code @Valid}, a Bean Validation constraint (built-in or of our own), or a container of repeated ones. */
    private static boolean isConstraint(JavaAnnotation<?> annotation) {
        JavaClass type = annotation.getRawType();
        return type.isEquivalentTo(Valid.class) || type.isAnnotatedWith(Constraint.class)
                || type.getEnclosingClass().map(owner -> owner.isAnnotatedWith(Constraint.class)).orElse(false);
    }

    /**
     * Roles the Boot way: Redis forms (the gateway, and every class built on it: cache, bucket store, health)
     * come only from configuration that applies when Redis is configured; local forms apply when they are missing.
     * Found by what they take (a {@link RedisGateway}), so a new Redis form is caught too.
     */
    @Test
    void redisFormsAreBuiltOnlyByConfigurationConditionalOnRedis() {
        JavaClass gateway = CLASSES.get(RedisGateway.class);
        Set<JavaClass> redisForms = CLASSES.stream()
                .filter(c -> c.equals(gateway) || c.getConstructors().stream()
                        .anyMatch(ctor -> ctor.getRawParameterTypes().contains(gateway)))
                .collect(Collectors.toSet());
        assertThat(redisForms).extracting(JavaClass::getSimpleName)
                .contains("RedisGateway", "RedisAgentCache", "RedisBucketStore", "RedisHealth");

        Set<String> builders = redisForms.stream()
                .flatMap(form -> form.getConstructorCallsToSelf().stream())
                .map(JavaConstructorCall::getOriginOwner)
                .filter(origin -> !redisForms.contains(origin))
                .filter(origin -> !(origin.isAnnotatedWith(ConditionalOnRedis.class)
                        && origin.isAnnotatedWith(org.springframework.context.annotation.Configuration.class)))
                .map(JavaClass::getName)
                .collect(Collectors.toSet());
        assertThat(builders).as("classes building a Redis form outside @ConditionalOnRedis configuration").isEmpty();
    }
}

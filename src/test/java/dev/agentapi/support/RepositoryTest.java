package dev.agentapi.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.test.context.ContextConfiguration;

/**
 * A repository slice ({@code @DataJpaTest}: entities, Spring Data repositories, Flyway, nothing else) against this
 * run's database on the real PostgreSQL, never an in-memory stand-in. Each test runs in a transaction rolled back
 * at its end unless the test class says otherwise.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresPostgres.class)
@DataJpaTest(properties = {
        // the grants migration's placeholder; the service's MigrationConfiguration sets it, which a slice leaves out
        "spring.flyway.placeholders.runtime_role=",
        "spring.jpa.properties.hibernate.generate_statistics=true"})
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ContextConfiguration(initializers = RepositoryTestDatabase.class)
public @interface RepositoryTest {
}

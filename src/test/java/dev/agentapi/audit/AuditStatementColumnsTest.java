package dev.agentapi.audit;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * An action's audit entry is written by a native {@code INSERT} ({@link AuditTrail#OUTCOME_INSERT}, inside the
 * statement that counts the action) beside {@link AuditEntry}'s mapping, which every other entry goes through. A
 * column added to the entity and not to the statement would leave it empty on every action's entry: the two lists
 * must be the same, and each value must be the parameter named after its column.
 */
class AuditStatementColumnsTest {

    @Test
    void theOutcomeInsertWritesEveryColumnTheEntityMapsEachFromItsOwnParameter() {
        List<String> mapped = new ArrayList<>();
        for (Field field : AuditEntry.class.getDeclaredFields()) {
            Column column = field.getAnnotation(Column.class);
            if (column != null && !field.isAnnotationPresent(Id.class)) {
                mapped.add(column.name().isEmpty() ? field.getName() : column.name());
            }
        }
        Matcher insert = Pattern.compile("INSERT INTO audit_logs \\(([^)]*)\\) VALUES \\((.*)\\)").matcher(AuditTrail.OUTCOME_INSERT);
        assertThat(insert.matches()).as(AuditTrail.OUTCOME_INSERT).isTrue();
        List<String> columns = Arrays.stream(insert.group(1).split(",")).map(String::trim).toList();
        assertThat(columns).containsExactlyInAnyOrderElementsOf(mapped);

        Matcher parameter = Pattern.compile(":([a-z_]+)").matcher(insert.group(2));
        List<String> parameters = new ArrayList<>();
        while (parameter.find()) {
            parameters.add(parameter.group(1));
        }
        assertThat(parameters).containsExactlyElementsOf(columns.stream().map(column -> "audit_" + column).toList());
    }
}

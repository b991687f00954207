package dev.agentapi.audit;

import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes audit entries. A successful change is recorded in the transaction that makes it (or by the one statement that
 * makes it, {@link #outcomeStatement}), so the change and its entry commit or vanish together. A failure is recorded in a transaction of its
 * own, so the entry survives the rollback of the operation it describes.
 */
@Service
public class AuditTrail {

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final int MAX_ERROR = 2000;

    private final AuditEntryRepository entries;
    private final CurrentActor currentActor;
    private final AuditUrls urls;
    private final BoundedValue values;
    private final TransactionTemplate ownTransaction;

    public AuditTrail(AuditEntryRepository entries, CurrentActor currentActor, JsonMapper json,
                      PlatformTransactionManager transactions, AuditProperties properties) {
        this.entries = entries;
        this.currentActor = currentActor;
        this.urls = new AuditUrls(properties.keepUrlQuery());
        this.values = new BoundedValue(json, (int) Math.min(Integer.MAX_VALUE, properties.maxValueSize().toBytes()), urls);
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Records a successful change; must run inside the transaction that makes the change. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordSuccess(AuditRecord record) {
        entries.save(entry(record, currentActor.get(), true, null));
    }

    /**
     * Records an outcome, successful or not, as part of the transaction that records its effects
     * (an action's counters, a crash's status).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordOutcome(AuditRecord record, boolean success, String errorMessage) {
        entries.save(entry(record, currentActor.get(), success, truncate(errorMessage)));
    }

    /**
     * An outcome's entry, as {@link #recordOutcome} writes it, as a statement to run with the change it records
     * ({@link AuditStatement}): for a change made by one statement, which then needs no transaction around two.
     */
    public AuditStatement outcomeStatement(AuditRecord record, boolean success, String errorMessage) {
        AuditEntry entry = entry(record, currentActor.get(), success, truncate(errorMessage));
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("audit_event_type", entry.getEventType());
        parameters.put("audit_action", entry.getAction().name());
        parameters.put("audit_resource_type", entry.getResourceType());
        parameters.put("audit_resource_id", entry.getResourceId());
        parameters.put("audit_user_id", entry.getUserId());
        parameters.put("audit_user_email", entry.getUserEmail());
        parameters.put("audit_ip_address", entry.getIpAddress());
        parameters.put("audit_user_agent", entry.getUserAgent());
        parameters.put("audit_details", entry.getDetails());
        parameters.put("audit_old_value", entry.getOldValue());
        parameters.put("audit_new_value", entry.getNewValue());
        parameters.put("audit_success", entry.isSuccess());
        parameters.put("audit_error_message", entry.getErrorMessage());
        parameters.put("audit_timestamp", entry.getTimestamp());
        return new AuditStatement(OUTCOME_INSERT, parameters);
    }

    /**
     * The JSON values cast from text (their nulls bound as text, see the repository that runs it). A second
     * description of {@link AuditEntry}'s columns: {@code AuditStatementColumnsTest} fails when the two differ.
     */
    static final String OUTCOME_INSERT = "INSERT INTO audit_logs (event_type, action, resource_type, resource_id, "
            + "user_id, user_email, ip_address, user_agent, details, old_value, new_value, success, error_message, timestamp) "
            + "VALUES (:audit_event_type, :audit_action, :audit_resource_type, :audit_resource_id, :audit_user_id, "
            + ":audit_user_email, :audit_ip_address, :audit_user_agent, CAST(:audit_details AS jsonb), "
            + "CAST(:audit_old_value AS jsonb), CAST(:audit_new_value AS jsonb), :audit_success, :audit_error_message, "
            + ":audit_timestamp)";

    /**
     * Records a failed operation in its own transaction. Never throws: if the database itself is
     * what failed, the entry cannot be written and the reason is logged instead.
     */
    public void recordFailure(AuditRecord record, String errorMessage) {
        recordAlone(record, currentActor.get(), errorMessage, "failure");
    }

    /**
     * Records a refusal in its own transaction, for {@code actor} (a refusal is written after the request that
     * was refused, off its thread). Never throws, as {@link #recordFailure} does not.
     */
    public void recordRefusal(AuditRecord record, Actor actor, String reason) {
        recordAlone(record, actor, reason, "refusal");
    }

    private void recordAlone(AuditRecord record, Actor actor, String errorMessage, String kind) {
        try {
            ownTransaction.executeWithoutResult(status -> entries.save(entry(record, actor, false, truncate(errorMessage))));
        } catch (RuntimeException e) {
            log.warn("Could not write {} audit entry {} {}:{} ({})", kind, record.eventType(), record.resourceType(),
                    record.resourceId(), e.getClass().getSimpleName());
        }
    }

    private AuditEntry entry(AuditRecord record, Actor actor, boolean success, String error) {
        return new AuditEntry(record.eventType(), record.action(), record.resourceType(), record.resourceId(),
                actor.userId(), actor.userEmail(), actor.ipAddress(), actor.userAgent(),
                values.toJson(record.details()), values.toJson(record.oldValue()), values.toJson(record.newValue()),
                success, urls.stripText(error), Instant.now());
    }

    private static String truncate(String message) {
        if (message == null) {
            return null;
        }
        return message.length() <= MAX_ERROR ? message : message.substring(0, MAX_ERROR);
    }
}

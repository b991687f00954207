package dev.agentapi.task;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The token of a claim's lease, as an external worker sends it back: present, printable, at most 255 characters. */
@NotBlank(message = "is required (from the claim)")
@Size(max = TaskRequests.MAX_LEASE_TOKEN, message = "is not a lease token")
@Pattern(regexp = TaskRequests.PRINTABLE, message = "is not a lease token")
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = {})
@interface LeaseToken {

    String message() default "is not a lease token";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}

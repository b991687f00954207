package dev.agentapi.agent;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * A state's sessionStorage belongs to its tabs: each entry names a tab the state has, no tab has two, and each entry's
 * origin is the origin of its tab's URL (a tab's storage is never handed to another site).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = SessionStorageOfTabs.Check.class)
@interface SessionStorageOfTabs {

    String message() default "sessionStorage must belong to the state's tabs";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<SessionStorageOfTabs, SavedBrowserState> {

        /** Scheme and authority of an http(s) URL; the rest is not needed for its origin. */
        private static final java.util.regex.Pattern AUTHORITY = java.util.regex.Pattern.compile("^([A-Za-z]+)://([^/?#]*)");

        @Override
        public boolean isValid(SavedBrowserState state, ConstraintValidatorContext context) {
            if (state == null || state.tabs() == null) {
                return true;
            }
            List<SavedBrowserState.TabSessionStorage> entries = state.sessionStorage();
            Set<Integer> seen = new HashSet<>();
            boolean valid = true;
            for (int i = 0; i < entries.size(); i++) {
                SavedBrowserState.TabSessionStorage entry = entries.get(i);
                if (entry == null || entry.tab() == null || entry.origin() == null) {
                    continue; // the entry's own constraints say so
                }
                String refusal = null;
                String field = "tab";
                if (entry.tab() < 0 || entry.tab() >= state.tabs().size()) {
                    refusal = "must be the index of one of the state's tabs";
                } else if (!seen.add(entry.tab())) {
                    refusal = "names a tab an earlier entry names";
                } else if (state.tabs().get(entry.tab()) != null
                        && !origin(state.tabs().get(entry.tab())).map(o -> o.equalsIgnoreCase(entry.origin())).orElse(false)) {
                    refusal = "must be the origin of tab " + entry.tab() + "'s URL";
                    field = "origin";
                }
                if (refusal != null) {
                    if (valid) {
                        context.disableDefaultConstraintViolation();
                    }
                    valid = false;
                    context.buildConstraintViolationWithTemplate(refusal).addPropertyNode("sessionStorage")
                            .addPropertyNode(field).inIterable().atIndex(i).addConstraintViolation();
                }
            }
            return valid;
        }

        /** {@code http(s)://host[:port]} of an http(s) URL, as a browser serializes an origin (no default port, no user info). */
        static Optional<String> origin(String url) {
            Matcher matcher = AUTHORITY.matcher(url);
            if (!matcher.find()) {
                return Optional.empty();
            }
            String scheme = matcher.group(1).toLowerCase(Locale.ROOT);
            String authority = matcher.group(2);
            authority = authority.substring(authority.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") && authority.endsWith(":80")) || (scheme.equals("https") && authority.endsWith(":443"))) {
                authority = authority.substring(0, authority.lastIndexOf(':'));
            }
            return Optional.of(scheme + "://" + authority);
        }
    }
}

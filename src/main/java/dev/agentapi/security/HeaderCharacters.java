package dev.agentapi.security;

import java.util.function.Predicate;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The header rules of Spring Security's {@link StrictHttpFirewall}, without a regular expression. Its
 * defaults are {@code [\p{IsAssigned}&&[^\p{IsControl}]]*} for header names and the same with tab allowed for
 * values, matched anew (a new {@code Matcher}) on every {@code getHeader} of the request, including for the
 * constant names the filters ask for: in a JFR profile of {@code GET} one agent that was 2 % of the samples
 * and a third of the bytes allocated. These loops accept exactly the same strings, code point by code
 * point: assigned ({@link Character#isDefined(int)}) and not a control character, tab allowed in values.
 * {@code HeaderCharactersTest} compares them with the firewall's defaults over every code point.
 */
final class HeaderCharacters {

    private static final Predicate<String> NAMES = name -> allowed(name, false);
    private static final Predicate<String> VALUES = value -> allowed(value, true);

    private HeaderCharacters() {
    }

    /** Spring Security's firewall with these header rules; every other rule is its default. */
    static StrictHttpFirewall firewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(NAMES);
        firewall.setAllowedHeaderValues(VALUES);
        return firewall;
    }

    private static boolean allowed(String text, boolean tab) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (!Character.isDefined(c) || (Character.getType(c) == Character.CONTROL && !(tab && c == '\t'))) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }
}

package dev.agentapi.audit;

import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * URLs as the audit trail keeps them: without their query string and fragment, which carry tokens, session ids
 * and personal data more often than not ({@code AUDIT_KEEP_URL_QUERY=true} keeps them). Applies to the values of
 * fields named {@code url} or {@code *_url}, at any depth, and to URLs inside error messages.
 */
final class AuditUrls {

    private static final Pattern URL_IN_TEXT = Pattern.compile("(?i)(\\bhttps?://[^\\s?#\"']*)[?#][^\\s\"']*");

    private final boolean keepQuery;

    AuditUrls(boolean keepQuery) {
        this.keepQuery = keepQuery;
    }

    boolean keepsQuery() {
        return keepQuery;
    }

    /** {@code tree} with the query and fragment of every URL field's value dropped (in place). */
    JsonNode strip(JsonNode tree) {
        if (keepQuery || tree == null) {
            return tree;
        }
        if (tree instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                String name = field.getKey();
                JsonNode value = field.getValue();
                if (value.isString() && (name.equals("url") || name.endsWith("_url"))) {
                    object.put(name, withoutQuery(value.asString()));
                } else {
                    strip(value);
                }
            }
        } else if (tree.isArray()) {
            tree.forEach(this::strip);
        }
        return tree;
    }

    /** {@code text} with the query and fragment of every http(s) URL in it dropped. */
    String stripText(String text) {
        return keepQuery || text == null ? text : URL_IN_TEXT.matcher(text).replaceAll("$1");
    }

    static String withoutQuery(String url) {
        int cut = url.length();
        int query = url.indexOf('?');
        int fragment = url.indexOf('#');
        if (query >= 0) {
            cut = query;
        }
        if (fragment >= 0 && fragment < cut) {
            cut = fragment;
        }
        return url.substring(0, cut);
    }
}

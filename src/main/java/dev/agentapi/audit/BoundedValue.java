package dev.agentapi.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * An audit value as stored (its URLs as {@link AuditUrls} keeps them): its JSON when it fits the bound, otherwise
 * {@code {"truncated": true, "original_bytes": n, "sha256": "...", "preview": "<start of the JSON>"}},
 * which still fits and lets a reader check a copy of the original against it.
 */
final class BoundedValue {

    /** Room for the marker's own fields around the preview. */
    private static final int MARKER_OVERHEAD = 256;
    /** A char of JSON text takes at most 3 bytes in UTF-8, or 2 once escaped again inside a string. */
    private static final int MAX_BYTES_PER_CHAR = 3;

    private final JsonMapper json;
    private final int maxBytes;
    private final AuditUrls urls;

    BoundedValue(JsonMapper json, int maxBytes, AuditUrls urls) {
        this.json = json;
        this.maxBytes = Math.max(1024, maxBytes);
        this.urls = urls;
    }

    String toJson(Object value) {
        if (value == null) {
            return null;
        }
        String full = urls.keepsQuery() ? json.writeValueAsString(value) : json.writeValueAsString(urls.strip(json.valueToTree(value)));
        byte[] bytes = full.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return full;
        }
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("truncated", true);
        marker.put("original_bytes", bytes.length);
        marker.put("sha256", sha256(bytes));
        marker.put("preview", preview(full, (maxBytes - MARKER_OVERHEAD) / MAX_BYTES_PER_CHAR));
        return json.writeValueAsString(marker);
    }

    private static String preview(String text, int chars) {
        int end = Math.min(text.length(), chars);
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}

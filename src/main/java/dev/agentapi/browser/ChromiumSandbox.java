package dev.agentapi.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether Chromium can keep its sandbox here. It can wherever the host allows: Chromium refuses its sandbox
 * as root, and on Linux it needs unprivileged user namespaces (Debian's Chromium has no setuid helper).
 * What happens where it cannot (run without it, or not at all) is {@link ChromiumLaunch}'s rule.
 */
record ChromiumSandbox(boolean enabled, String reason) {

    /** What this host allows, from the effective user and the kernel's user-namespace switches. */
    static ChromiumSandbox detect() {
        return decide(effectiveUid(), userNamespacesOff());
    }

    /** A launch failed because the sandbox could not start (a seccomp profile forbidding user namespaces, say). */
    static ChromiumSandbox unusable(String why) {
        return new ChromiumSandbox(false, "the sandbox could not start on this host (" + why
                + "; in a container, its seccomp profile or runtime may forbid the user namespaces Chromium needs)");
    }

    /** {@code uid}: empty where unknown (not Linux); {@code userNamespacesOff}: why, when the kernel has them off. */
    static ChromiumSandbox decide(Optional<Long> uid, Optional<String> userNamespacesOff) {
        if (uid.isPresent() && uid.get() == 0) {
            return new ChromiumSandbox(false, "the service runs as root, and Chromium does not sandbox root;"
                    + " run it as another user to keep the sandbox");
        }
        if (userNamespacesOff.isPresent()) {
            return new ChromiumSandbox(false, userNamespacesOff.get());
        }
        return new ChromiumSandbox(true, "not root, user namespaces available");
    }

    /** True when a launch failed because Chromium could not set up its sandbox. */
    static boolean isSandboxFailure(String message) {
        return message != null && (message.contains("No usable sandbox") || message.contains("sandbox_host_linux")
                || message.contains("Failed to move to new namespace"));
    }

    private static Optional<Long> effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Optional.of(Long.parseLong(line.substring(4).trim().split("\\s+")[1]));
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // no /proc: not Linux, where the question does not arise this way
        }
        return Optional.empty();
    }

    private static Optional<String> userNamespacesOff() {
        if ("0".equals(sysctl("kernel/unprivileged_userns_clone"))) {
            return Optional.of("unprivileged user namespaces are off (kernel.unprivileged_userns_clone=0)");
        }
        if ("0".equals(sysctl("user/max_user_namespaces"))) {
            return Optional.of("user namespaces are off (user.max_user_namespaces=0)");
        }
        return Optional.empty();
    }

    private static String sysctl(String name) {
        try {
            return Files.readString(Path.of("/proc/sys", name)).strip();
        } catch (IOException | RuntimeException absent) {
            return null;
        }
    }
}

package dev.agentapi.browser;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The download folders of the runtime's browsers whose agents asked for downloads, one per browser under a
 * folder of the runtime's own ({@link BrowserProperties.Downloads}), and the caps on them. Chromium saves a
 * download as {@code <guid>.crdownload} while it arrives and renames it to {@code <guid>} when done; a thread
 * of this watch hears every write (inotify, through {@link WatchService}) and cancels, in the browser, a
 * download that makes its folder pass {@code maxCount} files or {@code maxSize} bytes, then deletes it. A
 * folder is deleted with its browser. Nothing is watched (and no thread runs) until an agent asks for downloads.
 */
final class DownloadWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DownloadWatch.class);
    private static final String PARTIAL = ".crdownload";

    private final BrowserProperties.Downloads caps;
    private final Map<WatchKey, Folder> folders = new ConcurrentHashMap<>();
    private Path root;
    private WatchService watcher;
    private Thread thread;
    private boolean closed;

    DownloadWatch(BrowserProperties.Downloads caps) {
        this.caps = caps;
    }

    /** A browser's download folder. */
    final class Folder implements AutoCloseable {
        private final String agentId;
        private final Path path;
        private final WatchKey key;
        /** Every download seen, in order: the count cap counts downloads begun, not files left. */
        private final Set<String> seen = new LinkedHashSet<>();
        private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
        private volatile BrowserSession session;

        private Folder(String agentId, Path path, WatchKey key) {
            this.agentId = agentId;
            this.path = path;
            this.key = key;
        }

        Path path() {
            return path;
        }

        /** The session whose browser saves here: it cancels what passes the caps. */
        void servedBy(BrowserSession owner) {
            this.session = owner;
            check();
        }

        /** Looks at what the folder holds now and cancels what passes a cap. */
        synchronized void check() {
            BrowserSession owner = session;
            if (owner == null || !Files.isDirectory(path)) {
                return;
            }
            List<Path> files;
            try (Stream<Path> listed = Files.list(path)) {
                files = listed.toList();
            } catch (IOException gone) {
                return;
            }
            long total = 0;
            long finished = 0;
            List<String> inProgress = new ArrayList<>();
            for (Path file : files) {
                String name = file.getFileName().toString();
                String guid = name.endsWith(PARTIAL) ? name.substring(0, name.length() - PARTIAL.length()) : name;
                seen.add(guid);
                long size = size(file);
                total += size;
                if (name.endsWith(PARTIAL)) {
                    inProgress.add(guid);
                } else {
                    finished += size;
                }
            }
            int index = 0;
            for (String guid : seen) {
                if (++index > caps.maxCount()) {
                    cancel(owner, guid, "more than " + caps.maxCount() + " downloads");
                }
            }
            long cap = caps.maxSize().toBytes();
            if (total > cap) {
                String why = "more than " + PageCapture.megabytes(caps.maxSize()) + " of downloads";
                inProgress.forEach(guid -> cancel(owner, guid, why));
                // a download that finished past the cap (between two looks) goes too, the newest first
                List<Path> done = new ArrayList<>(files.stream().filter(f -> !f.getFileName().toString().endsWith(PARTIAL)).toList());
                done.sort(java.util.Comparator.comparing(DownloadWatch::modified).reversed());
                for (Path file : done) {
                    if (finished <= cap) {
                        break;
                    }
                    finished -= size(file);
                    cancel(owner, file.getFileName().toString(), why);
                }
            }
        }

        /** Cancels the download in the browser and deletes its file; again only while a file of it is still there. */
        private void cancel(BrowserSession owner, String guid, String why) {
            List<Path> files = List.of(path.resolve(guid + PARTIAL), path.resolve(guid));
            if (cancelled.add(guid)) {
                log.info("A download of agent {} was cancelled: {} (BROWSER_DOWNLOADS_MAX_COUNT, BROWSER_DOWNLOADS_MAX_SIZE)", agentId, why);
            } else if (files.stream().noneMatch(Files::exists)) {
                return;
            }
            owner.cancelDownload(guid, files);
        }

        /** Downloads begun, and how many were cancelled (tests). */
        int[] counts() {
            synchronized (this) {
                return new int[] {seen.size(), cancelled.size()};
            }
        }

        /** Stops watching and deletes the folder with whatever is in it. */
        @Override
        public void close() {
            key.cancel();
            folders.remove(key);
            deleteTree(path);
        }
    }

    /** A new folder for the browser of {@code agentId} (or a pooled browser's name), watched from now on. */
    synchronized Folder open(String agentId) {
        try {
            if (closed) {
                throw new IllegalStateException("the runtime is shut down");
            }
            if (watcher == null) {
                Files.createDirectories(caps.root());
                root = Files.createTempDirectory(caps.root(), "run-");
                watcher = FileSystems.getDefault().newWatchService();
                thread = new Thread(this::watch, "browser-downloads");
                thread.setDaemon(true);
                thread.start();
            }
            Path path = Files.createTempDirectory(root, agentId.replaceAll("[^A-Za-z0-9_.-]", "_") + "-");
            WatchKey key = path.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            Folder folder = new Folder(agentId, path, key);
            folders.put(key, folder);
            return folder;
        } catch (IOException e) {
            throw new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED, "The agent's download folder could not be made", e);
        }
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                key.pollEvents();
                Folder folder = folders.get(key);
                if (folder != null) {
                    try {
                        folder.check();
                    } catch (RuntimeException e) {
                        log.warn("Checking the downloads of agent {} failed: {}", folder.agentId, e.getMessage());
                    }
                }
                key.reset();
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            // the runtime is shutting down
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        List.copyOf(folders.values()).forEach(Folder::close);
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            thread.interrupt();
            deleteTree(root);
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException gone) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException gone) {
            return 0;
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // gone, or in use: its folder goes with the browser
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    deleteQuietly(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path visited, IOException e) {
                    deleteQuietly(visited);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }
}

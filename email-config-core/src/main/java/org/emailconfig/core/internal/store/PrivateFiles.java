package org.emailconfig.core.internal.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import org.apiguardian.api.API;

/** Files only their owner can read, created that way from the start (no window with wider access). */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class PrivateFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {
    }

    /**
     * Creates an owner-only temporary file next to a target.
     *
     * @param directory the target's directory
     * @param prefix    name prefix
     * @return the new empty file
     * @throws IOException when it cannot be created
     */
    public static Path createTempFile(Path directory, String prefix) throws IOException {
        return POSIX
                ? Files.createTempFile(directory, prefix, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(directory, prefix, ".tmp");
    }

    /**
     * Deletes the temporary files {@link #createTempFile} made for a target. Call it only while holding the
     * lock that every writer holds for as long as its temporary file exists: then they are all leftovers.
     *
     * @param directory the target's directory
     * @param prefix    the prefix they were created with
     * @return the files deleted
     * @throws IOException when the directory cannot be listed or a file cannot be deleted
     */
    public static List<Path> removeTemporaryFiles(Path directory, String prefix) throws IOException {
        List<Path> removed = new ArrayList<>();
        try (Stream<Path> list = Files.list(directory)) {
            for (Path p : list.toList()) {
                String name = String.valueOf(p.getFileName());
                if (name.startsWith(prefix) && name.endsWith(".tmp") && Files.deleteIfExists(p)) {
                    removed.add(p);
                }
            }
        }
        return removed;
    }

    /**
     * Creates a new owner-only file; fails if it exists.
     *
     * @param file the file
     * @throws IOException when it exists or cannot be created
     */
    public static void createNew(Path file) throws IOException {
        if (POSIX) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
    }

    /**
     * Creates a directory, and any missing parents, accessible by the owner only.
     *
     * @param directory the directory
     * @throws IOException when it cannot be created
     */
    public static void createPrivateDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (POSIX) {
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(directory);
        }
    }

    /**
     * Moves a complete, forced temporary file over its target in one step, so a reader sees the old file
     * or the new one, never part of either, and forces the directory entry to disk.
     *
     * @param temp   the temporary file, in the target's directory
     * @param target the file to replace or create
     * @throws IOException when the move fails; the target is then unchanged
     */
    public static void replaceAtomically(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Only on file systems without rename (some network mounts); still a whole-file replace.
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(Objects.requireNonNull(target.toAbsolutePath().getParent(), "a file's directory"));
    }

    /**
     * Forces a directory entry change (a rename) to disk where the platform allows it.
     *
     * @param directory the directory
     */
    public static void syncDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open directories; the rename itself is still atomic there.
        }
    }
}

package org.emailconfig.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/** Backups taken and restored the way operators do, for the restore tests of each store. */
public final class Backups {

    private Backups() {
    }

    /** Copies a store's file aside; the returned restore puts the copy back over it. */
    public static Runnable ofFile(Path file, Path asideIn) throws IOException {
        Path copy = Files.createTempFile(asideIn, "backup", ".bak");
        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        return () -> {
            try {
                Files.copy(copy, file, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /**
     * Notes a table's newest revision; the returned restore deletes every row after it, as restoring a dump
     * taken now leaves the table.
     */
    public static Runnable ofTable(DataSource dataSource, String table) throws SQLException {
        long kept;
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT MAX(revision) FROM " + table);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            kept = rs.getLong(1);
        }
        return () -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement st = c.prepareStatement("DELETE FROM " + table + " WHERE revision > ?")) {
                st.setLong(1, kept);
                st.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }
}

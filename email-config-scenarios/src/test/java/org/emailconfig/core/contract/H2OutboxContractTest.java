package org.emailconfig.core.contract;

import java.nio.file.Path;
import java.util.Properties;
import javax.sql.DataSource;

import org.emailconfig.core.testing.UrlDataSource;
import org.emailconfig.outboxkit.OutboxContract;
import org.junit.jupiter.api.io.TempDir;

/** The outbox kit on an H2 file database, the embedded choice of one node. */
class H2OutboxContractTest extends OutboxContract {

    @TempDir
    static Path dir;

    @Override
    protected DataSource dataSource() {
        return new UrlDataSource("jdbc:h2:file:" + dir.resolve("outbox") + ";DB_CLOSE_DELAY=-1", new Properties());
    }
}

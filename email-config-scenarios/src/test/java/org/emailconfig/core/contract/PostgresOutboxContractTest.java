package org.emailconfig.core.contract;

import javax.sql.DataSource;

import org.emailconfig.core.testing.PostgresServer;
import org.emailconfig.outboxkit.OutboxContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The outbox kit on a real PostgreSQL. */
class PostgresOutboxContractTest extends OutboxContract {

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    @Override
    protected DataSource dataSource() {
        return POSTGRES.dataSource();
    }
}

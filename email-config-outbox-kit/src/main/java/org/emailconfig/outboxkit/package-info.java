/**
 * The outbox contract kit: {@link org.emailconfig.outboxkit.OutboxContract}, the JUnit 5 tests a host runs against
 * its own database to see {@link org.emailconfig.core.JdbcOutbox} keep its promises there.
 */
@NullMarked
package org.emailconfig.outboxkit;

import org.jspecify.annotations.NullMarked;

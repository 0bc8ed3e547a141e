package org.emailconfig.core.multinode;

import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.core.InMemoryConfigStore;

/** Two nodes on one in-memory store: a host store simulating one database row. */
class InMemoryMultiNodeTest extends MultiNodeScenarios {

    private final InMemoryConfigStore shared = new InMemoryConfigStore();

    @Override
    protected ConfigStore nodeStore() {
        return shared;
    }
}

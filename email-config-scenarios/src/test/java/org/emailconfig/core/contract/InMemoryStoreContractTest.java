package org.emailconfig.core.contract;

import org.emailconfig.api.spi.ConfigStore;
import org.emailconfig.core.InMemoryConfigStore;
import org.emailconfig.testkit.ConfigStoreContract;

class InMemoryStoreContractTest extends ConfigStoreContract {

    @Override
    protected ConfigStore createStore() {
        return new InMemoryConfigStore();
    }
}

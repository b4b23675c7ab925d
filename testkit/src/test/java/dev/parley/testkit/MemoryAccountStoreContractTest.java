package dev.parley.testkit;

import dev.parley.core.spi.store.AccountStore;
import dev.parley.core.store.MemoryAccountStore;
import dev.parley.testkit.store.AccountStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The memory store's accounts")
class MemoryAccountStoreContractTest implements AccountStoreContract {
    private final AccountStore store = new MemoryAccountStore();

    @Override
    public AccountStore accounts() {
        return store;
    }
}

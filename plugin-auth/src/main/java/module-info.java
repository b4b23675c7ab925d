/**
 * The auth plugin: accounts from the configuration, {@code AUTH}, the server's authentication gate (through
 * core's {@code SessionAuthentication}), core's {@code Accounts} for nick reservation and operators, and
 * {@code ANNOUNCE}. Exports the password hash format and the account name rules for the launcher's
 * {@code parley hash-password} and {@code parley account add}.
 */
module dev.parley.auth {
    requires dev.parley.core;
    requires org.slf4j;

    exports dev.parley.auth.account;
    exports dev.parley.auth.password;

    provides dev.parley.core.spi.ParleyPlugin with dev.parley.auth.AuthPlugin;
}

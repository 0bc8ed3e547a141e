/**
 * The entry point {@link org.emailconfig.core.EmailConfig}; the three shipped
 * {@link org.emailconfig.api.spi.ConfigStore}s: {@link org.emailconfig.core.InMemoryConfigStore},
 * {@link org.emailconfig.core.FileConfigStore} (the embedded default) and
 * {@link org.emailconfig.core.JdbcConfigStore} (a host's database, for several nodes);
 * {@link org.emailconfig.core.InitialConfiguration} for first-time setup by an installer; and
 * {@link org.emailconfig.core.ProviderContexts}, the engine's contexts for a provider's own tests.
 */
@NullMarked
package org.emailconfig.core;

import org.jspecify.annotations.NullMarked;

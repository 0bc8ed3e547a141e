/**
 * The entry point {@link org.emailconfig.core.EmailConfig} and the two shipped
 * {@link org.emailconfig.api.spi.ConfigStore}s: {@link org.emailconfig.core.InMemoryConfigStore} and
 * {@link org.emailconfig.core.FileConfigStore} (the embedded default).
 */
@NullMarked
package org.emailconfig.core;

import org.jspecify.annotations.NullMarked;

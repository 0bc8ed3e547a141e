/**
 * The provider contract kit: {@link org.emailconfig.providerkit.ProviderContract}, the JUnit 5 tests every
 * {@link org.emailconfig.api.spi.AuthenticationProvider} keeps.
 */
@NullMarked
package org.emailconfig.providerkit;

import org.jspecify.annotations.NullMarked;

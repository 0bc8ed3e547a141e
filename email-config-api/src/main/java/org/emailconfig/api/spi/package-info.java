/**
 * The two service-provider interfaces: {@link org.emailconfig.api.spi.ConfigStore} (where the host keeps
 * the configuration; exactly one per service) and {@link org.emailconfig.api.spi.AuthenticationProvider}
 * (an authentication type; many coexist, found with {@link java.util.ServiceLoader}), plus what the
 * engine hands providers: {@link org.emailconfig.api.spi.BindingContext} and
 * {@link org.emailconfig.api.spi.DeliveryContext}.
 */
@NullMarked
package org.emailconfig.api.spi;

import org.jspecify.annotations.NullMarked;

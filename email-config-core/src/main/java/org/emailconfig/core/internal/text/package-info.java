/** The engine's texts in English and German, and what may be logged of a value. A leaf. */
@NullMarked
package org.emailconfig.core.internal.text;

import org.jspecify.annotations.NullMarked;

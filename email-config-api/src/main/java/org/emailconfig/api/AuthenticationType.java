package org.emailconfig.api;

import java.util.List;
import java.util.Objects;

import org.apiguardian.api.API;

/**
 * An installed authentication type as a form sees it.
 *
 * @param id     the provider id, which is the {@link ConfigurationDraft#type()} to submit
 * @param label  the display name in the requested locale
 * @param fields the form fields in display order
 */
@API(status = API.Status.STABLE, since = "0.1")
public record AuthenticationType(String id, String label, List<FieldDescriptor> fields) {

    /**
     * Copies the field list.
     *
     * @param id the provider id, which is the {@link ConfigurationDraft#type()} to submit
     * @param label the display name in the requested locale
     * @param fields the form fields in display order
     */
    public AuthenticationType {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        fields = List.copyOf(fields);
    }
}

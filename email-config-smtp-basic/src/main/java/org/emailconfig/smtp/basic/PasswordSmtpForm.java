package org.emailconfig.smtp.basic;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.emailconfig.api.validation.HeaderSafe;
import org.emailconfig.api.validation.HostName;
import org.emailconfig.api.validation.MailAddress;

/**
 * The form of {@link PasswordSmtpProvider} after text parsing, checked with Jakarta Validation. Its
 * component names are the field names, so violations land on the right form fields.
 */
record PasswordSmtpForm(
        @NotBlank(message = "enter the sender address, for example noreply@example.com") @MailAddress String senderAddress,
        @HeaderSafe String senderName,
        @NotBlank(message = "enter the host name of the SMTP server, for example smtp.example.com") @HostName String host,
        @Min(value = 1, message = "a port is a number from 1 to 65535 (usually 587 for STARTTLS, 465 for SSL/TLS)")
        @Max(value = 65535, message = "a port is a number from 1 to 65535 (usually 587 for STARTTLS, 465 for SSL/TLS)")
        Long port,
        @HeaderSafe String username) {
}

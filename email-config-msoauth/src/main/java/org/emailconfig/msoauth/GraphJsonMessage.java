package org.emailconfig.msoauth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import com.azure.json.JsonProviders;
import com.azure.json.JsonWriter;

import org.jspecify.annotations.Nullable;

/**
 * Graph's JSON form of {@code sendMail}, built from a MIME message: subject, one body (HTML when the
 * message has an HTML part, else text), recipients, reply-to, custom {@code X-} headers and
 * attachments, plus {@code saveToSentItems: false}. Used because only the JSON form can switch off the
 * copy in Sent Items; the MIME form always keeps one.
 */
final class GraphJsonMessage {

    private @Nullable String text;
    private @Nullable String html;
    private final List<Part> attachments = new ArrayList<>();

    private GraphJsonMessage() {
    }

    static byte[] toJson(MimeMessage message, boolean saveToSentItems) throws MessagingException, IOException {
        GraphJsonMessage parts = new GraphJsonMessage();
        parts.collect(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonWriter w = JsonProviders.createWriter(out)) {
            w.writeStartObject();
            w.writeStartObject("message");
            w.writeStringField("subject", message.getSubject() == null ? "" : message.getSubject());
            w.writeStartObject("body");
            w.writeStringField("contentType", parts.html != null ? "HTML" : "Text");
            w.writeStringField("content", parts.html != null ? parts.html : parts.text == null ? "" : parts.text);
            w.writeEndObject();
            Address[] from = message.getFrom();
            if (from != null && from.length > 0) {
                w.writeStartObject("from");
                address(w, from[0]);
                w.writeEndObject();
            }
            recipients(w, "toRecipients", message.getRecipients(Message.RecipientType.TO));
            recipients(w, "ccRecipients", message.getRecipients(Message.RecipientType.CC));
            recipients(w, "bccRecipients", message.getRecipients(Message.RecipientType.BCC));
            Address[] replyTo = message.getHeader("Reply-To") == null ? null : message.getReplyTo();
            recipients(w, "replyTo", replyTo);
            headers(w, message);
            if (!parts.attachments.isEmpty()) {
                w.writeStartArray("attachments");
                for (Part a : parts.attachments) {
                    w.writeStartObject();
                    w.writeStringField("@odata.type", "#microsoft.graph.fileAttachment");
                    w.writeStringField("name", a.getFileName() == null ? "attachment" : a.getFileName());
                    w.writeStringField("contentType", a.getContentType().split(";")[0].trim());
                    try (InputStream in = a.getInputStream()) {
                        w.writeStringField("contentBytes", Base64.getEncoder().encodeToString(in.readAllBytes()));
                    }
                    w.writeEndObject();
                }
                w.writeEndArray();
            }
            w.writeEndObject();
            w.writeBooleanField("saveToSentItems", saveToSentItems);
            w.writeEndObject();
            w.flush();
        }
        return out.toByteArray();
    }

    private void collect(Part part) throws MessagingException, IOException {
        if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null) {
            attachments.add(part);
        } else if (part.isMimeType("multipart/*")) {
            Multipart multi = (Multipart) part.getContent();
            for (int i = 0; i < multi.getCount(); i++) {
                BodyPart child = multi.getBodyPart(i);
                collect(child);
            }
        } else if (part.isMimeType("text/html") && html == null) {
            html = String.valueOf(part.getContent());
        } else if (part.isMimeType("text/plain") && text == null) {
            text = String.valueOf(part.getContent());
        } else {
            attachments.add(part);
        }
    }

    private static void recipients(JsonWriter w, String name, Address @Nullable [] addresses) throws IOException {
        if (addresses == null || addresses.length == 0) {
            return;
        }
        w.writeStartArray(name);
        for (Address a : addresses) {
            w.writeStartObject();
            address(w, a);
            w.writeEndObject();
        }
        w.writeEndArray();
    }

    private static void address(JsonWriter w, Address a) throws IOException {
        w.writeStartObject("emailAddress");
        if (a instanceof InternetAddress ia) {
            w.writeStringField("address", ia.getAddress());
            if (ia.getPersonal() != null) {
                w.writeStringField("name", ia.getPersonal());
            }
        } else {
            w.writeStringField("address", a.toString());
        }
        w.writeEndObject();
    }

    /** Graph accepts only custom headers, those starting with {@code X-}. */
    private static void headers(JsonWriter w, MimeMessage message) throws MessagingException, IOException {
        List<Header> custom = new ArrayList<>();
        for (Enumeration<Header> e = message.getAllHeaders(); e.hasMoreElements(); ) {
            Header h = e.nextElement();
            if (h.getName().toLowerCase(Locale.ROOT).startsWith("x-")) {
                custom.add(h);
            }
        }
        if (custom.isEmpty()) {
            return;
        }
        w.writeStartArray("internetMessageHeaders");
        for (Header h : custom) {
            w.writeStartObject();
            w.writeStringField("name", h.getName());
            w.writeStringField("value", h.getValue());
            w.writeEndObject();
        }
        w.writeEndArray();
    }
}

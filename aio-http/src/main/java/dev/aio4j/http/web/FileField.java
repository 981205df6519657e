package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

/**
 * A file sent in a multipart form, as {@link Request#post()} returns it.
 *
 * <p><b>aiohttp:</b> {@code web.FileField}. <b>Differences:</b> the content is read into a byte
 * array (bounded by the application's {@code clientMaxSize}) instead of a temporary file object;
 * use {@link Request#multipart()} to stream large uploads.
 *
 * @param name the form field's name
 * @param filename the file name the client sent
 * @param content the file's bytes
 * @param contentType the part's Content-Type ({@code application/octet-stream} if absent)
 * @param headers the part's headers
 * @since 0.2
 */
public record FileField(String name, String filename, byte[] content, String contentType, Headers headers) {
    @Override
    public String toString() {
        return "<FileField(" + name + ", filename=" + filename + ", " + content.length + " bytes, " + contentType + ")>";
    }
}

package dev.switchboard.api;

import dev.switchboard.transport.http.HttpResponses;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * The files the server serves from {@code static/} on its classpath: an exact whitelist of URL
 * paths, each mapped to one resource and content type, read once at start-up. No path is ever
 * joined to a directory, so there is nothing to traverse. Thread-safe (immutable).
 *
 * <p>A JavaScript module is served as one file: a line {@code import … from "./other.js";} naming a
 * sibling module of {@code static/} is replaced by that module's text (its exports stay exports),
 * so the client's parts can be read and tested apart and still be loaded, or saved, as one file.
 *
 * <p>Every file is revalidated on each use ({@code no-cache}) with an ETag, so an unchanged file is
 * a 304. Pages get a Content-Security-Policy that allows only this origin's scripts, styles,
 * images and WebSockets, and {@code Referrer-Policy: no-referrer} so a pairing code or token in a
 * page's URL never leaks to another site.
 */
public final class StaticFiles {
    public static final String HTML = "text/html; charset=utf-8";
    public static final String JAVASCRIPT = "text/javascript; charset=utf-8";
    public static final String CSS = "text/css; charset=utf-8";
    public static final String TEXT = "text/plain; charset=utf-8";
    private static final String CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:;"
            + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /** One servable file. {@code cors}: any origin may load it (the client, imported cross-origin). */
    private record File(byte[] body, String type, String tag, boolean cors) {
        boolean page() {
            return HTML.equals(type);
        }
    }

    private final Map<String, File> files;

    /** The server's own files: the landing page, the JavaScript client and the docs. */
    public static StaticFiles server() {
        return new StaticFiles(StaticFiles.class,
                file("/", "index.html", HTML),
                file("/switchboard.js", "switchboard.js", JAVASCRIPT),
                // The same module under a name Node takes for an ES module in any project ("type": "commonjs" too).
                file("/switchboard.mjs", "switchboard.js", JAVASCRIPT),
                file("/docs/README.md", "docs/README.md", TEXT),
                file("/docs/PROTOCOL.md", "docs/PROTOCOL.md", TEXT),
                file("/docs/ARCHITECTURE.md", "docs/ARCHITECTURE.md", TEXT),
                file("/docs/DEPLOYMENT.md", "docs/DEPLOYMENT.md", TEXT));
    }

    /**
     * @param owner a class whose class loader has the resources, under {@code /static/}
     * @param entries what to serve: {@link #file}
     */
    public StaticFiles(Class<?> owner, Entry... entries) {
        java.util.HashMap<String, File> map = new java.util.HashMap<>();
        for (Entry e : entries) {
            byte[] body = resource(owner, "/static/" + e.resource());
            if (JAVASCRIPT.equals(e.type())) {
                body = inlineImports(owner, body);
            }
            map.put(e.path(), new File(body, e.type(), entityTag(body), e.path().startsWith("/switchboard.")));
        }
        this.files = Map.copyOf(map);
    }

    /** One file to serve: at URL {@code path}, the resource {@code static/<resource>}, as {@code type}. */
    public record Entry(String path, String resource, String type) {
    }

    public static Entry file(String path, String resource, String type) {
        return new Entry(path, resource, type);
    }

    /** Whether {@code path} (decoded, without the query) is one of the files. */
    public boolean has(String path) {
        return files.containsKey(path);
    }

    /** The file at {@code path}, which {@link #has} it; a 304 when the request's ETag matches. */
    public FullHttpResponse serve(String path, FullHttpRequest request) {
        File file = files.get(path);
        FullHttpResponse response = matches(request.headers().get(HttpHeaderNames.IF_NONE_MATCH), file.tag())
                ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED)
                : HttpResponses.of(HttpResponseStatus.OK, file.type(), file.body());
        response.headers()
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.ETAG, file.tag())
                .set("X-Content-Type-Options", "nosniff");
        if (file.cors()) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        }
        if (file.page()) {
            response.headers()
                    .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CSP)
                    .set("Referrer-Policy", "no-referrer");
        }
        return response;
    }

    /** Whether an {@code If-None-Match} value names {@code tag} (weak comparison, as RFC 9110 asks). */
    private static boolean matches(String ifNoneMatch, String tag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String value = candidate.trim();
            if (value.equals("*") || (value.startsWith("W/") ? value.substring(2) : value).equals(tag)) {
                return true;
            }
        }
        return false;
    }

    private static String entityTag(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final java.util.regex.Pattern SIBLING_IMPORT =
            java.util.regex.Pattern.compile("(?m)^import \\{[^}]*\\} from \"\\./([a-z0-9-]+\\.js)\";\\n");

    /** The module with each import of a sibling module replaced by that module (one level deep). */
    static byte[] inlineImports(Class<?> owner, byte[] module) {
        String text = new String(module, java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher imports = SIBLING_IMPORT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (imports.find()) {
            String sibling = new String(resource(owner, "/static/" + imports.group(1)),
                    java.nio.charset.StandardCharsets.UTF_8);
            imports.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(sibling));
        }
        imports.appendTail(out);
        return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

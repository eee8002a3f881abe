package dev.switchboard.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.switchboard.api.AppEndpoints;
import dev.switchboard.api.StaticFiles;
import dev.switchboard.api.ServerApi;
import dev.switchboard.auth.AuthenticationException;
import dev.switchboard.auth.Authenticator;
import dev.switchboard.auth.Credentials;
import dev.switchboard.core.Identity;
import dev.switchboard.core.JsonSyntax;
import dev.switchboard.core.MessageJson;
import dev.switchboard.node.Node;
import dev.switchboard.transport.http.HttpException;
import dev.switchboard.transport.http.HttpResponses;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The live-transcript app's endpoints (the pages themselves are static files):
 * <ul>
 *   <li>{@code GET /app/mode} → {@code {"mode":"dev"|"token"}}, so a page knows how to identify itself</li>
 *   <li>{@code GET /app/qr.svg?text=…} → the text as a QR code ({@link QrSvg})</li>
 *   <li>{@code POST /app/pair} with {@code Authorization: Bearer <jwt>} → a single-use pairing code (token mode)</li>
 *   <li>{@code POST /app/pair/redeem} with {@code {"code":"…"}} → a device token for the phone</li>
 *   <li>{@code GET /dashboard/stats} → the dashboard's numbers; with {@code --api-key} the key is required,
 *       and in token mode the key must be set</li>
 * </ul>
 * Every error is a JSON body with a status; pairing answers 503 {@code unavailable} while its store
 * (Redis, in a cluster) does not answer. Codes and tokens are never logged. Thread-safe, non-blocking:
 * pairing answers when the store has.
 */
public final class AppHttp implements AppEndpoints {
    private static final Logger log = LoggerFactory.getLogger(AppHttp.class);
    private final Node node;
    private final ServerApi api;
    private final LiveStats stats;
    private final Pairings pairings;
    private final Authenticator tokens;
    /** The app's pages, scripts and styles: an exact list of paths. */
    private final StaticFiles files = new StaticFiles(AppHttp.class,
            StaticFiles.file("/app/pc", "app/pc.html", StaticFiles.HTML),
            StaticFiles.file("/app/phone", "app/phone.html", StaticFiles.HTML),
            StaticFiles.file("/dashboard", "app/dashboard.html", StaticFiles.HTML),
            StaticFiles.file("/app/app.css", "app/app.css", StaticFiles.CSS),
            StaticFiles.file("/app/pc.js", "app/pc.js", StaticFiles.JAVASCRIPT),
            StaticFiles.file("/app/phone.js", "app/phone.js", StaticFiles.JAVASCRIPT),
            StaticFiles.file("/app/transcript.js", "app/transcript.js", StaticFiles.JAVASCRIPT),
            StaticFiles.file("/app/dashboard.js", "app/dashboard.js", StaticFiles.JAVASCRIPT));

    /**
     * @param pairings the pairing store, {@code null} in dev mode (pairing is off)
     * @param tokens the JWT authenticator that admits PCs asking for a code, {@code null} in dev mode
     */
    public AppHttp(Node node, ServerApi api, LiveStats stats, Pairings pairings, Authenticator tokens) {
        this.node = node;
        this.api = api;
        this.stats = stats;
        this.pairings = pairings;
        this.tokens = tokens;
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest request, String path) {
        if (files.has(path)) {
            boolean get = HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
            return done(get ? files.serve(path, request) : HttpResponses.methodNotAllowed("GET, HEAD"));
        }
        try {
            switch (path) {
                case "/app":
                case "/app/":
                    require(request, HttpMethod.GET);
                    return done(redirect(request, "/app/pc"));
                case "/app/mode":
                    require(request, HttpMethod.GET);
                    return done(HttpResponses.json(HttpResponseStatus.OK,
                            "{\"mode\":\"" + (pairings != null ? "token" : "dev") + "\"}"));
                case "/app/qr.svg":
                    require(request, HttpMethod.GET);
                    return done(qr(request));
                case "/app/pair":
                    require(request, HttpMethod.POST);
                    return pair(request);
                case "/app/pair/redeem":
                    require(request, HttpMethod.POST);
                    return redeem(request);
                case "/dashboard/stats":
                    require(request, HttpMethod.GET);
                    return done(stats(request));
                default:
                    return null;
            }
        } catch (HttpException e) {
            return done(refusal(e));
        }
    }

    private static CompletableFuture<FullHttpResponse> done(FullHttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    private static FullHttpResponse refusal(HttpException e) {
        FullHttpResponse response = e.toResponse();
        if (e.status() == HttpResponseStatus.UNAUTHORIZED) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        if (e.status() == HttpResponseStatus.METHOD_NOT_ALLOWED) {
            response.headers().set(HttpHeaderNames.ALLOW, e.getMessage().substring("use ".length()));
        }
        return response;
    }

    private static FullHttpResponse qr(FullHttpRequest request) throws HttpException {
        List<String> texts = new QueryStringDecoder(request.uri()).parameters().get("text");
        String text = texts == null ? null : texts.get(0);
        if (text == null || text.isEmpty() || text.length() > QrSvg.MAX_TEXT_LENGTH) {
            throw new HttpException(HttpResponseStatus.BAD_REQUEST, "invalid_text",
                    "?text= must have 1 to " + QrSvg.MAX_TEXT_LENGTH + " characters");
        }
        return HttpResponses.of(HttpResponseStatus.OK, "image/svg+xml",
                QrSvg.render(text).getBytes(StandardCharsets.UTF_8));
    }

    private CompletableFuture<FullHttpResponse> pair(FullHttpRequest request) throws HttpException {
        if (pairings == null) {
            throw new HttpException(HttpResponseStatus.NOT_FOUND, "pairing_off",
                    "dev mode has no pairing: link the phone to /app/phone?userId=<the same user>");
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        Identity pc;
        try {
            pc = tokens.authenticate(new Credentials(token == null || token.isEmpty() ? null : token, null));
        } catch (AuthenticationException e) {
            throw new HttpException(HttpResponseStatus.UNAUTHORIZED, "unauthorized", e.getMessage());
        }
        return pairings.issue(pc).handle((code, error) -> {
            if (error != null) {
                return unavailable(error);
            }
            if (code.isEmpty()) {
                return HttpResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "too_many_pairings",
                        "too many pending pairings; try again soon");
            }
            String secret = code.get().code();
            return HttpResponses.json(HttpResponseStatus.OK, "{\"code\":" + quote(secret)
                    + ",\"userId\":" + quote(pc.userId()) + ",\"expiresInSeconds\":"
                    + Pairings.CODE_LIFETIME.toSeconds() + ",\"phoneUrl\":" + quote("/app/phone?pair=" + secret) + "}");
        });
    }

    private CompletableFuture<FullHttpResponse> redeem(FullHttpRequest request) throws HttpException {
        if (pairings == null) {
            throw new HttpException(HttpResponseStatus.NOT_FOUND, "pairing_off", "dev mode has no pairing");
        }
        String code = codeFrom(ByteBufUtil.getBytes(request.content()));
        return pairings.redeem(code).handle((device, error) -> {
            if (error != null) {
                return unavailable(error);
            }
            if (device.isEmpty()) {
                return HttpResponses.error(HttpResponseStatus.FORBIDDEN, "invalid_pairing_code",
                        "the pairing code is unknown, used or expired: show the QR code on the PC again");
            }
            return HttpResponses.json(HttpResponseStatus.OK, "{\"userId\":" + quote(device.get().userId())
                    + ",\"token\":" + quote(device.get().token()) + ",\"expiresAt\":"
                    + device.get().expiresAtMillis() + "}");
        });
    }

    /** 503 for a pairing store that did not answer; the log names the failure's kind only, never a code. */
    private static FullHttpResponse unavailable(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        log.warn("pairing unavailable: {}", cause.getClass().getSimpleName());
        return HttpResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                "pairing is unavailable right now (its store does not answer); try again soon");
    }

    /** Reads {@code {"code":"…"}}; other members are ignored. */
    private static String codeFrom(byte[] body) throws HttpException {
        try (JsonParser parser = MessageJson.FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new HttpException(HttpResponseStatus.BAD_REQUEST, "invalid_json",
                        "the body must be a JSON object like {\"code\":\"…\"}");
            }
            String code = null;
            String field;
            while ((field = parser.nextFieldName()) != null) {
                JsonToken value = parser.nextToken();
                if ("code".equals(field) && value == JsonToken.VALUE_STRING) {
                    code = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new HttpException(HttpResponseStatus.BAD_REQUEST, "invalid_json", "more than one JSON value");
            }
            if (code == null || code.isEmpty()) {
                throw new HttpException(HttpResponseStatus.UNPROCESSABLE_ENTITY, "missing_code",
                        "code (a string) is required");
            }
            return code;
        } catch (JsonProcessingException e) {
            throw new HttpException(HttpResponseStatus.BAD_REQUEST, "invalid_json", "invalid JSON: "
                    + JsonSyntax.describe(e));
        } catch (IOException e) {
            throw new HttpException(HttpResponseStatus.BAD_REQUEST, "invalid_json", "invalid JSON");
        }
    }

    private FullHttpResponse stats(FullHttpRequest request) throws HttpException {
        if (api.enabled()) {
            if (!api.authorizes(request)) {
                throw new HttpException(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                        "the dashboard needs the API key: Authorization: Bearer <key>");
            }
        } else if (pairings != null) {
            throw new HttpException(HttpResponseStatus.FORBIDDEN, "api_key_required",
                    "token mode: start the server with --api-key to use the dashboard");
        }
        LiveStats.Snapshot snapshot = stats.snapshot();
        StringBuilder json = new StringBuilder(256 + 8 * snapshot.messagesPerSecond().size())
                .append("{\"connections\":").append(node.connectionCount())
                .append(",\"users\":").append(node.users())
                .append(",\"messagesTotal\":").append(snapshot.messagesTotal())
                .append(",\"tickSeconds\":").append(LiveStats.TICK.toSeconds())
                .append(",\"messagesPerSecond\":[");
        for (int i = 0; i < snapshot.messagesPerSecond().size(); i++) {
            json.append(i == 0 ? "" : ",").append(snapshot.messagesPerSecond().get(i));
        }
        json.append("],\"events\":[");
        for (int i = 0; i < snapshot.events().size(); i++) {
            LiveStats.Event event = snapshot.events().get(i);
            json.append(i == 0 ? "" : ",").append("{\"time\":").append(event.timeMillis())
                    .append(",\"type\":\"").append(event.connect() ? "connect" : "disconnect")
                    .append("\",\"connectionId\":").append(quote(event.connectionId()))
                    .append(",\"userId\":").append(event.userId() == null ? "null" : quote(event.userId()));
            if (!event.connect()) {
                json.append(",\"code\":").append(event.closeCode());
            }
            json.append('}');
        }
        return HttpResponses.json(HttpResponseStatus.OK, json.append("]}").toString());
    }

    private static FullHttpResponse redirect(FullHttpRequest request, String to) {
        String query = new QueryStringDecoder(request.uri()).rawQuery();
        FullHttpResponse response = new io.netty.handler.codec.http.DefaultFullHttpResponse(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        response.headers().set(HttpHeaderNames.LOCATION, query.isEmpty() ? to : to + "?" + query);
        return response;
    }

    private static void require(FullHttpRequest request, HttpMethod method) throws HttpException {
        HttpMethod actual = request.method();
        boolean ok = actual.equals(method) || (method == HttpMethod.GET && actual.equals(HttpMethod.HEAD));
        if (!ok) {
            String allow = method == HttpMethod.GET ? "GET, HEAD" : method.name();
            throw new HttpException(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "use " + allow);
        }
    }

    private static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}

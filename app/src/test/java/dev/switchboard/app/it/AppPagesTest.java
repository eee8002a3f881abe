package dev.switchboard.app.it;

import dev.switchboard.testing.Http;
import dev.switchboard.testing.JsonObjects;
import dev.switchboard.testing.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The app's pages and scripts: an exact whitelist, the right types, revalidated, locked down. */
class AppPagesTest {
    @RegisterExtension
    final LiveServer server = new LiveServer();

    @ParameterizedTest
    @CsvSource({
            "/app/pc, text/html; charset=utf-8, data-testid=\"transcript\"",
            "/app/phone, text/html; charset=utf-8, data-testid=\"start\"",
            "/dashboard, text/html; charset=utf-8, data-testid=\"connections\"",
            "/app/app.css, text/css; charset=utf-8, .transcript",
            "/app/pc.js, text/javascript; charset=utf-8, SwitchboardClient",
            "/app/phone.js, text/javascript; charset=utf-8, SpeechRecognition",
            "/app/transcript.js, text/javascript; charset=utf-8, export class Transcript",
            "/app/dashboard.js, text/javascript; charset=utf-8, /dashboard/stats",
            "/docs/README.md, text/plain; charset=utf-8, # Switchboard",
            "/docs/PROTOCOL.md, text/plain; charset=utf-8, switchboard.v1",
            "/docs/ARCHITECTURE.md, text/plain; charset=utf-8, Node",
    })
    void each_file_is_served_with_its_type_and_an_etag(String path, String type, String content) throws Exception {
        HttpResponse<String> response = Http.get(server.port(), path);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue(type);
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(response.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(response.body()).contains(content);
        String etag = response.headers().firstValue("etag").orElseThrow();
        assertThat(Http.get(server.port(), path, Map.of("If-None-Match", etag)).statusCode()).isEqualTo(304);
    }

    @Test
    void pages_allow_only_their_own_origin_and_send_no_referrer() throws Exception {
        HttpResponse<String> page = Http.get(server.port(), "/app/phone?pair=secret");

        assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'self'").contains("connect-src 'self' ws: wss:")
                        .contains("frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("referrer-policy")).hasValue("no-referrer");
        assertThat(Http.get(server.port(), "/app/pc.js").headers().firstValue("content-security-policy")).isEmpty();
    }

    @Test
    void the_landing_page_links_to_the_app_the_dashboard_and_the_docs() throws Exception {
        HttpResponse<String> page = Http.get(server.port(), "/", Map.of("Accept", "text/html"));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("href=\"/app/pc\"", "href=\"/dashboard\"", "href=\"/docs/README.md\"",
                "href=\"/docs/PROTOCOL.md\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/app/", "/app/pc.html", "/app/../switchboard.js", "/app/%2e%2e/pom.xml",
            "/static/index.html", "/app/pc/", "/app/app.css/", "/docs/", "/docs/LICENSE", "/app/..%2Fapp%2Fpc.js",
            "/dashboard.html", "/logback.xml", "/dev/switchboard/server/Main.class"})
    void nothing_outside_the_whitelist_is_served(String path) throws Exception {
        HttpResponse<String> response = Http.get(server.port(), path);

        if (path.equals("/app/")) {
            assertThat(response.statusCode()).isEqualTo(302);
            return;
        }
        assertThat(response.statusCode()).as(path).isEqualTo(404);
        assertThat(JsonObjects.parseFlat(response.body())).containsEntry("code", "not_found");
    }

    @Test
    void app_redirects_to_the_pc_page_keeping_the_query() throws Exception {
        HttpResponse<String> response = Http.get(server.port(), "/app?userId=bob");

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("location")).hasValue("/app/pc?userId=bob");
    }

    @Test
    void other_methods_are_405_with_allow() throws Exception {
        HttpResponse<String> page = Http.request(server.port(), "POST", "/app/pc", Map.of(), "x");
        assertThat(page.statusCode()).isEqualTo(405);
        assertThat(page.headers().firstValue("allow")).hasValue("GET, HEAD");
        assertThat(JsonObjects.parseFlat(page.body())).containsEntry("code", "method_not_allowed");

        HttpResponse<String> qr = Http.request(server.port(), "DELETE", "/app/qr.svg?text=x", Map.of(), null);
        assertThat(qr.statusCode()).isEqualTo(405);
        assertThat(qr.headers().firstValue("allow")).hasValue("GET, HEAD");

        HttpResponse<String> pair = Http.get(server.port(), "/app/pair");
        assertThat(pair.statusCode()).isEqualTo(405);
        assertThat(pair.headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    void the_mode_tells_a_page_how_to_identify_itself() throws Exception {
        HttpResponse<String> response = Http.get(server.port(), "/app/mode");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JsonObjects.parseFlat(response.body())).containsEntry("mode", "dev");
    }

    @Test
    void the_qr_code_is_an_svg() throws Exception {
        HttpResponse<String> response = Http.get(server.port(), "/app/qr.svg?text="
                + java.net.URLEncoder.encode("http://localhost:5201/app/phone?userId=bob", "UTF-8"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("image/svg+xml");
        assertThat(response.body()).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/app/qr.svg", "/app/qr.svg?text=", "/app/qr.svg?other=1"})
    void a_missing_or_empty_qr_text_is_400(String path) throws Exception {
        HttpResponse<String> response = Http.get(server.port(), path);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JsonObjects.parseFlat(response.body())).containsEntry("code", "invalid_text");
    }

    @Test
    void an_overlong_qr_text_is_400() throws Exception {
        HttpResponse<String> response = Http.get(server.port(), "/app/qr.svg?text=" + "a".repeat(1025));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JsonObjects.parseFlat(response.body())).containsEntry("code", "invalid_text");
        assertThat(Http.get(server.port(), "/app/qr.svg?text=" + "a".repeat(1024)).statusCode()).isEqualTo(200);
    }

    @Test
    void pairing_is_off_in_dev_mode() throws Exception {
        HttpResponse<String> pair = Http.request(server.port(), "POST", "/app/pair", Map.of(), null);
        assertThat(pair.statusCode()).isEqualTo(404);
        assertThat(JsonObjects.parseFlat(pair.body())).containsEntry("code", "pairing_off");

        HttpResponse<String> redeem = Http.request(server.port(), "POST", "/app/pair/redeem", Map.of(), "{\"code\":\"x\"}");
        assertThat(redeem.statusCode()).isEqualTo(404);
        assertThat(JsonObjects.parseFlat(redeem.body())).containsEntry("code", "pairing_off");
    }
}

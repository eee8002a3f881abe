package dev.switchboard.app.browser;

import dev.switchboard.hub.Session;
import dev.switchboard.testing.ChaosProxy;
import dev.switchboard.testing.LiveServer;
import dev.switchboard.transport.NettySession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

import java.util.List;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PC page behind a proxy that refuses WebSocket upgrades, as a corporate proxy does: the page's
 * client falls back to server-sent events, shows the phone's words live, and recovers what it
 * missed after its stream is cut.
 */
@Tag("browser")
class SseFallbackBrowserTest {
    @RegisterExtension
    final LiveServer server = new LiveServer();
    private static Browser browser;
    private ChaosProxy proxy;

    @BeforeAll
    static void startBrowser() {
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void reset() throws Exception {
        browser.screenshot("sse-fallback");
        browser.reset();
        if (proxy != null) {
            proxy.close();
        }
    }

    private List<String> finals() {
        return browser.all("[data-testid='transcript'] p").stream().map(WebElement::getText).toList();
    }

    private void say(String text) {
        browser.js("fakeSpeech.say(arguments[0], true)", text);
    }

    private boolean overSse(Session session) {
        return session instanceof NettySession netty && netty.channel().pipeline().get("sse") != null;
    }

    @Test
    void behind_a_proxy_without_websockets_the_pc_shows_the_transcript_over_sse_and_recovers_after_a_cut()
            throws Exception {
        proxy = ChaosProxy.start(server.port());
        proxy.refuseWebSocketUpgrades(true);
        String pc = browser.open("http://127.0.0.1:" + proxy.port() + "/app/pc?userId=ines");
        browser.until(d -> browser.byTestId("status").getText().startsWith("connected"));
        assertThat(proxy.refusedUpgrades()).as("the page tried a WebSocket first").isGreaterThan(0);
        assertThat(server.node().localSessions("ines")).hasSize(1).allMatch(this::overSse);

        // The phone is on another network: straight to the server, over a WebSocket.
        String phone = browser.newWindow();
        browser.get("http://127.0.0.1:" + server.port() + "/app/phone?userId=ines");
        browser.until(d -> browser.byTestId("status").getText().equals("connected"));
        browser.runResource("fake-speech.js");
        browser.byTestId("start").click();
        browser.until(d -> (Boolean) browser.js("return fakeSpeech.current !== null"));
        say("over the fallback");
        browser.switchTo(pc);
        browser.until(d -> finals().equals(List.of("over the fallback")));

        // The proxy drops the stream; the phone keeps talking meanwhile.
        proxy.refuseNew(true);
        assertThat(proxy.cutAll()).isGreaterThan(0);
        browser.until(d -> browser.byTestId("status").getText().startsWith("disconnected"));
        browser.switchTo(phone);
        say("while cut one");
        say("while cut two");
        eventually().until(() -> server.node().position("ines").join().seq() == 3);
        proxy.refuseNew(false);

        browser.switchTo(pc);
        browser.until(d -> finals().size() == 3);
        assertThat(finals()).containsExactly("over the fallback", "while cut one", "while cut two");
        assertThat(browser.byTestId("status").getText()).contains("recovered 2 missed");
        assertThat(server.node().localSessions("ines")).filteredOn(this::overSse).hasSize(1);
    }
}

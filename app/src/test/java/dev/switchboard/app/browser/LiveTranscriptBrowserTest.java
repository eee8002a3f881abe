package dev.switchboard.app.browser;

import dev.switchboard.core.CloseCodes;
import dev.switchboard.auth.TestTokens;
import dev.switchboard.testing.LiveServer;
import dev.switchboard.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

import java.time.Instant;
import java.util.List;

import static dev.switchboard.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live-transcript app in a real browser: the PC page, and through its pairing link the phone
 * page in a second window, with a scripted SpeechRecognition in place of the microphone.
 */
@Tag("browser")
class LiveTranscriptBrowserTest {
    @RegisterExtension
    final LiveServer server = new LiveServer();
    private static Browser browser;
    private String testName;

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

    @org.junit.jupiter.api.BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void screenshotAndReset() {
        int n = 0;
        for (String window : browser.driver().getWindowHandles()) {
            browser.switchTo(window);
            String path = java.net.URI.create(browser.driver().getCurrentUrl()).getPath();
            browser.screenshot(testName + "-" + ++n + "-" + path.substring(path.lastIndexOf('/') + 1));
        }
        browser.reset();
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Opens the PC page for {@code userId}, waits until it is connected; returns its window. */
    private String openPc(String userId) {
        String pc = browser.open(base() + "/app/pc?userId=" + userId);
        browser.until(d -> browser.byTestId("status").getText().startsWith("connected"));
        return pc;
    }

    /** The PC page's pairing link, once it is shown. */
    private String pairLink(String pc) {
        browser.switchTo(pc);
        return browser.until(d -> {
            String href = browser.byTestId("pair-link").getAttribute("href");
            return href != null && href.contains("/app/phone") ? href : null;
        });
    }

    /** Opens the PC page's pairing link in a new window with the fake recognizer; returns the window. */
    private String openPhoneFromPairLink(String pc) {
        String link = pairLink(pc);
        String phone = browser.newWindow();
        browser.get(link);
        browser.until(d -> browser.byTestId("status").getText().equals("connected"));
        browser.runResource("fake-speech.js");
        return phone;
    }

    private List<String> finals() {
        return browser.all("[data-testid='transcript'] p").stream().map(WebElement::getText).toList();
    }

    private void say(String text, boolean isFinal) {
        browser.js("fakeSpeech.say(arguments[0], arguments[1])", text, isFinal);
    }

    @Test
    void speech_on_the_phone_appears_live_on_the_pc() {
        String pc = openPc("alice");
        String phone = openPhoneFromPairLink(pc);
        browser.byTestId("start").click();
        browser.until(d -> (Boolean) browser.js("return fakeSpeech.current !== null"));

        say("hello", false);
        browser.switchTo(pc);
        browser.until(d -> browser.byTestId("interim").getText().equals("hello"));
        assertThat(browser.byTestId("phone-status").getText()).isEqualTo("connected");

        browser.switchTo(phone);
        say("hello wor", false);
        browser.switchTo(pc);
        browser.until(d -> browser.byTestId("interim").getText().equals("hello wor"));

        browser.switchTo(phone);
        say("hello world", true);
        say("how are", false);
        say("how are you", true);
        say("我们开始吧", true);
        browser.switchTo(pc);
        browser.until(d -> finals().size() == 3);
        assertThat(finals()).containsExactly("hello world", "how are you", "我们开始吧");
        assertThat(browser.byTestId("interim").getText()).isEmpty();

        // The picture in the README (docs/images/pc.png): Clear, then a talk with a line still being
        // spoken (in English: this machine has no CJK font to draw the Chinese with).
        browser.byTestId("clear").click();
        browser.until(d -> finals().isEmpty());
        browser.switchTo(phone);
        say("Good morning, everyone.", true);
        say("Today I'll show how each word reaches the right screen.", true);
        say("The phone listens, and this page shows what it hears", true);
        say("as you speak, and a dropped connection loses", false);
        browser.switchTo(pc);
        browser.until(d -> finals().size() == 3
                && browser.byTestId("interim").getText().equals("as you speak, and a dropped connection loses"));
        browser.screenshot("readme-pc");
    }

    @Test
    void segments_spoken_while_the_pc_is_offline_appear_after_it_reconnects() {
        String pc = openPc("bob");
        String phone = openPhoneFromPairLink(pc);
        browser.byTestId("start").click();
        browser.until(d -> (Boolean) browser.js("return fakeSpeech.current !== null"));
        say("before the cut", true);
        browser.switchTo(pc);
        browser.until(d -> finals().equals(List.of("before the cut")));

        // The page's network goes down (new connections fail) and its connection breaks.
        String connection = browser.byTestId("status").getAttribute("title").replace("connection ", "");
        browser.offline(true);
        server.node().forEachSession(session -> {
            if (session.id().equals(connection)) {
                session.close(CloseCodes.GOING_AWAY, "network cut by the test");
            }
        });
        browser.until(d -> browser.byTestId("status").getText().startsWith("disconnected"));
        browser.switchTo(phone);
        say("while offline one", true);
        say("while offline two", true);
        eventually().until(() -> server.node().position("bob").join().seq() == 3);
        browser.switchTo(pc);
        // Still cut off: the two segments were published while the page could not connect.
        assertThat(browser.byTestId("status").getText()).startsWith("disconnected");
        browser.offline(false);

        browser.until(d -> finals().size() == 3);
        assertThat(finals()).containsExactly("before the cut", "while offline one", "while offline two");
        assertThat(browser.byTestId("status").getText()).contains("recovered 2 missed");
    }

    @Test
    void the_phone_offers_a_text_box_when_speech_recognition_is_missing() {
        String pc = openPc("carol");
        String link = pairLink(pc);
        String phone = browser.newWindow();
        browser.beforeEachDocument("delete window.SpeechRecognition; delete window.webkitSpeechRecognition;");
        browser.get(link);
        browser.until(d -> browser.byTestId("status").getText().equals("connected"));

        assertThat(browser.byTestId("speech-unavailable").isDisplayed()).isTrue();
        assertThat(browser.byTestId("speech-unavailable").getText()).contains("no Web Speech API");
        assertThat(browser.byTestId("start").isEnabled()).isFalse();
        browser.byTestId("text-input").sendKeys("typed on the phone");
        browser.byTestId("send").click();
        browser.byTestId("text-input").sendKeys("打字也可以");
        browser.byTestId("send").click();

        browser.switchTo(pc);
        browser.until(d -> finals().size() == 2);
        assertThat(finals()).containsExactly("typed on the phone", "打字也可以");
        browser.switchTo(phone);
    }

    @Test
    void the_phone_offers_a_text_box_on_an_insecure_origin() {
        String pc = openPc("frank");
        browser.newWindow();
        browser.get("http://" + Browser.INSECURE_HOST + ":" + server.port() + "/app/phone?userId=frank");
        browser.until(d -> browser.byTestId("status").getText().equals("connected"));
        assertThat((Boolean) browser.js("return window.isSecureContext")).isFalse();

        assertThat(browser.byTestId("speech-unavailable").getText()).contains("needs a secure page");
        assertThat(browser.byTestId("start").isEnabled()).isFalse();
        browser.byTestId("text-input").sendKeys("typed over plain http");
        browser.byTestId("send").click();

        browser.switchTo(pc);
        browser.until(d -> finals().equals(List.of("typed over plain http")));
    }

    @Test
    void the_dashboard_shows_connections_and_messages_as_they_happen() {
        String dashboard = browser.open(base() + "/dashboard");
        browser.until(d -> browser.byTestId("connections").getText().equals("0"));
        assertThat(browser.byTestId("messages-total").getText()).isEqualTo("0");

        String pc = browser.newWindow();
        browser.get(base() + "/app/pc?userId=dave");
        browser.until(d -> browser.byTestId("status").getText().startsWith("connected"));
        String phone = openPhoneFromPairLink(pc);
        browser.byTestId("start").click();
        browser.until(d -> (Boolean) browser.js("return fakeSpeech.current !== null"));
        for (int i = 1; i <= 5; i++) {
            say("segment " + i, true);
        }

        browser.switchTo(dashboard);
        browser.until(d -> browser.byTestId("connections").getText().equals("2"));
        assertThat(browser.byTestId("users-online").getText()).isEqualTo("1");
        browser.until(d -> Long.parseLong(browser.byTestId("messages-total").getText()) >= 5);
        // The rate is sampled once a second: the five messages show up in the chart's peak.
        browser.until(d -> Long.parseLong(browser.driver().findElement(org.openqa.selenium.By.id("peak")).getText()) > 0);
        assertThat(browser.byTestId("events").getText()).contains("connect").contains("dave");
        browser.switchTo(phone);
        browser.driver().close();
        browser.switchTo(dashboard);
        browser.until(d -> browser.byTestId("connections").getText().equals("1"));
        // The count drops when the close starts, the event is recorded when the socket is gone: wait for it.
        browser.until(d -> browser.byTestId("events").getText().contains("disconnect"));
    }

    @Test
    void in_token_mode_the_phone_pairs_once_through_the_link_and_its_code() throws Exception {
        server.restartWith(TestServers.tokenConfig());
        String token = TestTokens.hs256(TestTokens.claims("erin", Instant.now()).build());
        String pc = browser.open(base() + "/app/pc?token=" + token);
        browser.until(d -> browser.byTestId("status").getText().startsWith("connected"));
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("token=");
        String link = pairLink(pc);
        assertThat(link).contains("/app/phone?pair=").doesNotContain(token);

        String phone = browser.newWindow();
        browser.get(link);
        browser.until(d -> browser.byTestId("status").getText().equals("connected"));
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("pair=");
        browser.runResource("fake-speech.js");
        browser.byTestId("start").click();
        browser.until(d -> (Boolean) browser.js("return fakeSpeech.current !== null"));
        say("paired by a code", true);
        browser.switchTo(pc);
        browser.until(d -> finals().equals(List.of("paired by a code")));
        browser.until(d -> browser.byTestId("phone-status").getText().equals("connected"));

        browser.newWindow();
        browser.get(link);
        browser.until(d -> browser.byTestId("status").getText().contains("unknown, used or expired"));
    }
}

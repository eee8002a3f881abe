package dev.switchboard.app.browser;

import dev.switchboard.core.CloseCodes;
import dev.switchboard.testing.LiveServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

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
        for (String window : browser.driver().getWindowHandles()) {
            browser.switchTo(window);
            browser.screenshot(testName + "-" + (browser.driver().getCurrentUrl().contains("/app/phone") ? "phone" : "pc"));
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

    /** Opens the PC page's pairing link in a new window with the fake recognizer; returns the window. */
    private String openPhoneFromPairLink(String pc) {
        browser.switchTo(pc);
        String link = browser.until(d -> {
            String href = browser.byTestId("pair-link").getAttribute("href");
            return href != null && href.contains("/app/phone") ? href : null;
        });
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
}

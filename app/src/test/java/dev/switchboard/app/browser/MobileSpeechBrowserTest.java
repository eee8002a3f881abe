package dev.switchboard.app.browser;

import dev.switchboard.testing.ChaosProxy;
import dev.switchboard.testing.LiveServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The phone page under the speech engines phones really have, on the networks phones really have.
 * A scripted SpeechRecognition replays one engine's documented behaviour (speech-engines.js names
 * each and cites its source) for 60 utterances in en-US and then 60 in zh-CN. The phone page reaches
 * the server through a proxy that, every 1.5 s, black-holes one direction for 300 ms and then resets
 * the connection (what is in flight is lost); the PC page's connection is reset every 1.1 s. The
 * PC's transcript must equal the script exactly: nothing lost, nothing doubled, in order — and the
 * phone never says "not sent" about a segment it still delivers.
 */
@Tag("browser")
class MobileSpeechBrowserTest {
    private static final int UTTERANCES = 60;
    private static final int STEP_MS = 15;

    @RegisterExtension
    final LiveServer server = new LiveServer();
    private static Browser browser;
    private final List<ChaosProxy> proxies = new ArrayList<>();

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
    void reset() throws IOException {
        browser.reset();
        for (ChaosProxy proxy : proxies) {
            proxy.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"desktopChrome", "indexZeroAgain", "androidRepeatedFinals", "endsEachUtterance",
            "repeatsEarlierWords"})
    void thePcGetsExactlyWhatWasSaidThroughDroppingNetworks(String engine) throws IOException {
        ChaosProxy pcLink = proxy();
        ChaosProxy phoneLink = proxy();
        String user = "speaker-" + engine;
        String pc = browser.open("http://127.0.0.1:" + pcLink.port() + "/app/pc?userId=" + user);
        browser.until(d -> browser.byTestId("status").getText().startsWith("connected"));
        String phone = browser.newWindow();
        browser.get("http://127.0.0.1:" + phoneLink.port() + "/app/phone?userId=" + user);
        browser.until(d -> browser.byTestId("status").getText().equals("connected"));
        browser.runResource("fake-speech.js");
        browser.runResource("speech-engines.js");
        // Every text the status pill shows, to prove "not sent" never appeared.
        browser.js("window.statusSeen = []; new MutationObserver(() => statusSeen.push("
                + "document.getElementById('status').textContent)).observe(document.getElementById('status'),"
                + " { childList: true, characterData: true, subtree: true });");

        pcLink.cutEvery(Duration.ofMillis(1_100));
        phoneLink.flap(Duration.ofMillis(1_500), Duration.ofMillis(300));
        List<String> expected = new ArrayList<>();
        for (String lang : List.of("en-US", "zh-CN")) {
            browser.switchTo(phone);
            browser.js("document.getElementById('lang').value = arguments[0];", lang);
            browser.byTestId("start").click();
            browser.until(d -> (Boolean) browser.js("return fakeSpeech.current !== null"));
            browser.js("fakeSpeech.play(arguments[0], arguments[1], arguments[2], arguments[3]);",
                    engine, lang, UTTERANCES, STEP_MS);
            new WebDriverWait(browser.driver(), Duration.ofSeconds(60), Duration.ofMillis(100))
                    .until(d -> (Boolean) browser.js("return fakeSpeech.done"));
            browser.byTestId("stop").click();
            expected.addAll(expectedTranscript(lang));
        }
        int cycles = phoneLink.cut();
        phoneLink.stopCutting();
        pcLink.stopCutting();

        browser.switchTo(pc);
        new WebDriverWait(browser.driver(), Duration.ofSeconds(30), Duration.ofMillis(100))
                .until(d -> finals().size() >= expected.size());
        assertThat(finals()).as("the PC's transcript").containsExactlyElementsOf(expected);
        browser.switchTo(phone);
        browser.until(d -> !browser.byTestId("waiting").isDisplayed());
        @SuppressWarnings("unchecked")
        List<String> statuses = (List<String>) browser.js("return window.statusSeen");
        assertThat(statuses).as("what the phone's status said").noneMatch(text -> text.contains("not sent"))
                .anyMatch(text -> text.contains("reconnecting"));
        assertThat(cycles).as("the phone's connection was cut").isGreaterThanOrEqualTo(3);
        assertThat(pcLink.cut()).as("the PC's connection was cut").isGreaterThanOrEqualTo(3);
    }

    private ChaosProxy proxy() throws IOException {
        ChaosProxy proxy = ChaosProxy.start(server.port());
        proxies.add(proxy);
        return proxy;
    }

    @SuppressWarnings("unchecked")
    private static List<String> expectedTranscript(String lang) {
        return (List<String>) browser.js("const { utterances, joinerOf } = window.speechEngines;"
                + " return utterances(arguments[0], arguments[1]).map((words) => words.join(joinerOf(arguments[1])));",
                UTTERANCES, lang);
    }

    private static List<String> finals() {
        return browser.all("[data-testid='transcript'] p").stream().map(WebElement::getText).toList();
    }
}

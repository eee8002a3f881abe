package dev.switchboard.app.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, driven by its chromedriver: both found at fixed paths so Selenium
 * Manager never tries to download anything. One browser per test class; each test opens its own
 * windows. Screenshots go to {@code target/browser-screenshots/}.
 */
final class Browser implements AutoCloseable {
    static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(15);
    /** Resolves to 127.0.0.1 in this browser only. */
    static final String INSECURE_HOST = "phone.lan.test";
    private static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");

    private final Path profile;
    private final ChromeDriver driver;
    private final String home;

    Browser() {
        try {
            profile = Files.createTempDirectory("switchboard-chromium-");
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withLogFile(new File("target/chromedriver.log"))
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                        // A name for the loopback server that is not "localhost", so a page opened by it
                        // is not a secure context, as on a LAN address over plain http.
                        "--host-resolver-rules=MAP " + INSECURE_HOST + " 127.0.0.1",
                        "--user-data-dir=" + profile);
        driver = new ChromeDriver(service, options);
        home = driver.getWindowHandle();
    }

    WebDriver driver() {
        return driver;
    }

    /** Opens a blank new window and makes it current; returns its handle. */
    String newWindow() {
        driver.switchTo().newWindow(WindowType.WINDOW);
        return driver.getWindowHandle();
    }

    /** Loads {@code url} in the current window. */
    void get(String url) {
        driver.get(url);
    }

    /** Loads {@code url} in the first window and makes it current; returns its handle. */
    String open(String url) {
        driver.switchTo().window(home);
        driver.get(url);
        return home;
    }

    void switchTo(String window) {
        driver.switchTo().window(window);
    }

    WebElement byTestId(String id) {
        return driver.findElement(By.cssSelector("[data-testid='" + id + "']"));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Runs a script from {@code src/test/resources/browser/} in the current page. */
    void runResource(String name) {
        try (InputStream in = Browser.class.getResourceAsStream("/browser/" + name)) {
            js(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code source} in every document the current window loads from now on, before its scripts. */
    void beforeEachDocument(String source) {
        driver.executeCdpCommand("Page.enable", Map.of());
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", source));
    }

    /** Cuts the current window's network, or restores it. */
    void offline(boolean offline) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of(
                "offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    }

    <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(50)).until(condition);
    }

    /** A PNG of the current window, at {@code target/browser-screenshots/<name>.png}. */
    Path screenshot(String name) {
        try {
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes every window but the first and blanks it, for the next test. */
    void reset() {
        for (String window : List.copyOf(driver.getWindowHandles())) {
            if (!window.equals(home)) {
                driver.switchTo().window(window).close();
            }
        }
        driver.switchTo().window(home);
        offline(false);
        driver.get("about:blank");
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}

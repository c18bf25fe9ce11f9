package org.churnsignals.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for the console's browser tests, with the waits and look-ups they share. Browser paths:
 * {@code -Dchromium.binary} (default /usr/bin/chromium) and {@code -Dchromedriver} (default /usr/bin/chromedriver),
 * from Debian's chromium and chromium-driver packages; nothing is downloaded.
 */
public final class ConsoleBrowser implements AutoCloseable {

  public static final Duration WAIT = Duration.ofSeconds(15);
  /** Selenium looks for DevTools bindings of this Chromium's version, which these tests never use; held so JUL keeps the level. */
  private static final List<Logger> CDP_LOOKUP = Stream.of(
          "org.openqa.selenium.devtools.CdpVersionFinder", "org.openqa.selenium.chromium.ChromiumDriver")
      .map(Logger::getLogger).peek(logger -> logger.setLevel(Level.SEVERE)).toList();

  private final ChromeDriver driver;
  private final Path profile;

  private ConsoleBrowser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** Starts Chromium with a fresh profile and a window of {@code width} x {@code height}. */
  public static ConsoleBrowser open(int width, int height) throws IOException {
    String binary = System.getProperty("chromium.binary", "/usr/bin/chromium");
    String driver = System.getProperty("chromedriver", "/usr/bin/chromedriver");
    assertThat(new File(binary)).as("Chromium (apt-get install chromium chromium-driver)").canRead();
    assertThat(new File(driver)).as("chromedriver (apt-get install chromium-driver)").canRead();
    System.setProperty("webdriver.chrome.driver", driver);
    Path profile = Files.createTempDirectory("console-browser");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(binary);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--lang=en-US", "--user-data-dir=" + profile);
    // An explicit driver executable keeps Selenium Manager from looking for (or downloading) one.
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver)).build();
    ChromeDriver chrome = new ChromeDriver(service, options);
    chrome.manage().window().setSize(new Dimension(width, height));
    return new ConsoleBrowser(chrome, profile);
  }

  public WebDriver driver() {
    return driver;
  }

  public WebDriverWait waiting() {
    // The console redraws rows when data changes; an element read mid-redraw is simply read again.
    return (WebDriverWait) new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class);
  }

  public WebElement visible(String testId) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(byTestId(testId)));
  }

  /** Waits until at least one element with {@code testId} is there, and returns them all. */
  public List<WebElement> some(String testId) {
    return waiting().until(ExpectedConditions.numberOfElementsToBeMoreThan(byTestId(testId), 0));
  }

  public static By byTestId(String testId) {
    return By.cssSelector("[data-testid='" + testId + "']");
  }

  /** Saves what the window shows as a PNG. */
  public void screenshot(Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() throws IOException {
    driver.quit();
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}

package org.churnsignals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.churnsignals.http.ConsoleBrowser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console in a real browser over a real run: the demo (broker, registry, traffic, pipeline, server) in this
 * process, and a retention agent who opens the inbox and then the riskiest customer.
 *
 * <p>The customer page is saved to {@code target/console-on-demo.png}, or where {@code -Dconsole.screenshot} says
 * (the README's {@code docs/console.png} is made with {@code -Dconsole.screenshot=../docs/console.png}).
 */
class ConsoleOnDemoIT {

  private static final HttpClient http = HttpClient.newHttpClient();
  private static final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private static Thread demo;
  private static volatile Exception demoFailure;
  private static String baseUrl;
  private static ConsoleBrowser console;
  private static WebDriver browser;

  @BeforeAll
  static void startTheDemoAndABrowser() throws IOException {
    int httpPort = LivePipeline.freePort();
    int kafkaPort = LivePipeline.freePort();
    baseUrl = "http://127.0.0.1:" + httpPort;
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    // Stopped by interrupting its thread; the duration only bounds a run whose test never gets that far.
    Demo.Options options = new Demo.Options(Duration.ofMinutes(3), httpPort, kafkaPort, 150, 42, 14);
    demo = new Thread(() -> {
      try {
        Demo.run(options, Map.of(), out);
      } catch (Exception e) {
        demoFailure = e;
      }
    }, "demo");
    demo.start();
    LivePipeline.eventually(ConsoleOnDemoIT::customersAtRisk, body -> body != null && body.contains("\"customerId\""),
        "the demo to list someone at risk");
    console = ConsoleBrowser.open(1280, 720);
    browser = console.driver();
  }

  @AfterAll
  static void stopTheDemoAndTheBrowser() throws Exception {
    if (console != null) {
      console.close();
    }
    if (demo != null) {
      demo.interrupt();
      demo.join(Duration.ofSeconds(60).toMillis());
      assertThat(demo.isAlive()).as("the demo still running after it was asked to stop").isFalse();
    }
    if (demoFailure != null) {
      throw demoFailure;
    }
  }

  private static String customersAtRisk() {
    if (demoFailure != null) {
      throw new AssertionError("the demo failed", demoFailure);
    }
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(baseUrl + "/api/customers/at-risk")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (IOException notListeningYet) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void theInboxShowsTheAlertsTheDemoRaisedAndPrinted() {
    browser.get(baseUrl + "/#/alerts");

    console.visible("alerts-inbox");
    List<WebElement> rows = console.some("alert-row");
    WebElement first = rows.get(0);
    assertThat(first.findElement(ConsoleBrowser.byTestId("level")).getText()).isIn("HIGH", "CRITICAL");
    assertThat(first.findElement(ConsoleBrowser.byTestId("alert-reason")).getText()).isNotBlank();
    assertThat(first.getAttribute("data-customer-id")).startsWith("C-");
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("ALERT C-");
  }

  @Test
  void anAgentOpensTheRiskiestCustomerAndReadsWhyAndWhatToDo() throws IOException {
    browser.get(baseUrl + "/#/at-risk");
    console.visible("at-risk-list");
    WebElement riskiest = console.some("at-risk-row").get(0);
    String customerId = riskiest.getAttribute("data-customer-id");

    riskiest.findElement(ConsoleBrowser.byTestId("customer-link")).click();

    console.visible("customer-page");
    console.waiting().until(ExpectedConditions.textToBe(ConsoleBrowser.byTestId("customer-id"), customerId));
    assertThat(browser.findElement(ConsoleBrowser.byTestId("customer-level")).getText()).isIn("ELEVATED", "HIGH", "CRITICAL");
    assertThat(browser.findElement(ConsoleBrowser.byTestId("customer-score")).getText()).matches("\\d{1,3}");
    List<WebElement> reasons = console.some("reason");
    assertThat(reasons).allSatisfy(reason -> assertThat(reason.getText()).isNotBlank());
    List<WebElement> actions = console.some("action");
    assertThat(actions).allSatisfy(action -> assertThat(action.getText()).isNotBlank());
    assertThat(browser.findElements(ConsoleBrowser.byTestId("evidence-id"))).isNotEmpty();

    Path screenshot = Path.of(System.getProperty("console.screenshot", "target/console-on-demo.png"));
    console.screenshot(screenshot);
    assertThat(Files.size(screenshot)).isPositive();
  }
}

package org.churnsignals.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.churnsignals.http.RetentionView.AlertView;
import org.churnsignals.http.RetentionView.Reason;
import org.churnsignals.schema.RiskLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A retention agent's morning in a real (headless) Chromium: the inbox, a customer, the reasons and what to do.
 *
 * <p>By default the console is served by a RetentionServer over sample data. {@code -Dconsole.url=http://host:port}
 * (and {@code -Dconsole.token=...} when the server has one) points it at a running application instead; the
 * checks that need the sample's own customers are then skipped. The browser is {@link ConsoleBrowser}.
 */
class ConsoleBrowserIT {

  private static final String SAMPLE_TOKEN = "agent-token";

  private RetentionServer server;
  private InMemoryRetentionView sample;
  private String baseUrl;
  private String token;
  private ConsoleBrowser console;
  private WebDriver browser;

  @BeforeEach
  void serveTheConsole() {
    String given = System.getProperty("console.url", "");
    if (!given.isBlank()) {
      baseUrl = given.replaceAll("/+$", "");
      token = System.getProperty("console.token", "");
      return;
    }
    sample = InMemoryRetentionView.sample(Instant.now());
    server = RetentionServer.start(new RetentionServer.Settings("127.0.0.1", 0, SAMPLE_TOKEN), sample,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true);
    baseUrl = "http://127.0.0.1:" + server.port();
    token = SAMPLE_TOKEN;
  }

  @BeforeEach
  void openBrowser() throws IOException {
    console = ConsoleBrowser.open(1366, 768);
    browser = console.driver();
  }

  @AfterEach
  void closeBrowserAndServer() throws IOException {
    if (console != null) {
      console.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private WebDriverWait waiting() {
    return console.waiting();
  }

  private WebElement visible(String testId) {
    return console.visible(testId);
  }

  private static By byTestId(String testId) {
    return ConsoleBrowser.byTestId(testId);
  }

  private void openWithToken(String hash) {
    browser.get(baseUrl + "/" + (token.isEmpty() ? "" : "?token=" + token) + hash);
  }

  private List<WebElement> alertRows() {
    visible("alerts-inbox");
    return console.some("alert-row");
  }

  private void screenshot(String name) throws IOException {
    console.screenshot(Path.of("target", name));
  }

  @Test
  void anAgentOpensTheFirstAlertAndReadsWhyAndWhatToDo() throws IOException {
    openWithToken("#/alerts");
    WebElement first = alertRows().get(0);
    String customerId = first.getAttribute("data-customer-id");
    assertThat(first.findElement(byTestId("level")).getText()).isIn("LOW", "ELEVATED", "HIGH", "CRITICAL");
    assertThat(first.findElement(byTestId("alert-reason")).getText()).isNotBlank();
    screenshot("console-inbox.png");

    first.findElement(byTestId("customer-link")).click();

    visible("customer-page");
    waiting().until(ExpectedConditions.textToBe(byTestId("customer-id"), customerId));
    assertThat(browser.getCurrentUrl()).endsWith("#/customers/" + customerId).doesNotContain("token=");
    assertThat(browser.findElement(byTestId("customer-score")).getText()).matches("\\d{1,3}");
    assertThat(browser.findElement(byTestId("customer-level")).getText()).isIn("LOW", "ELEVATED", "HIGH", "CRITICAL");
    assertThat(browser.findElements(byTestId("reason"))).isNotEmpty();
    assertThat(browser.findElements(byTestId("action"))).isNotEmpty();
    assertThat(browser.findElements(byTestId("trend-sparkline"))).hasSize(1);
    assertThat(browser.findElements(byTestId("evidence-id"))).isNotEmpty();
    screenshot("console.png");
  }

  @Test
  void theSampleCustomerShowsReasonsStrongestFirstActionsMoneyAndEvidence() {
    assumeTrue(sample != null, "needs the sample data");
    openWithToken("#/customers/C-000042");

    visible("customer-page");
    waiting().until(ExpectedConditions.textToBe(byTestId("customer-score"), "86"));
    assertThat(browser.findElement(byTestId("customer-level")).getText()).isEqualTo("CRITICAL");
    assertThat(browser.findElement(byTestId("customer-value")).getText()).isEqualTo("$1,842.50");
    List<String> reasons = browser.findElements(By.cssSelector("#customer-reasons [data-testid='reason']")).stream()
        .map(WebElement::getText).toList();
    assertThat(reasons).hasSize(3);
    assertThat(reasons.get(0)).startsWith("Order O-1017 arrived 4 days after the promised date, with no notice");
    assertThat(reasons.get(1)).startsWith("A call about order O-1017 rang out unanswered");
    assertThat(reasons.get(2)).startsWith("Return R-220 was refunded 19 days after");
    assertThat(browser.findElement(byTestId("customer-favour")).getText())
        .contains("The chat about a missing invoice was resolved within the promised hour");
    assertThat(browser.findElements(byTestId("action"))).first().extracting(WebElement::getText)
        .isEqualTo("Have a senior person call the customer today: several things went wrong in a row");
    assertThat(browser.findElements(byTestId("signal-row"))).hasSize(4);
    assertThat(browser.findElements(byTestId("evidence-id"))).extracting(WebElement::getText).contains("con-5531-abandoned");
    assertThat(browser.findElement(byTestId("customer-trend-text")).getText()).startsWith("12 → 86");
  }

  @Test
  void theLookupOpensACustomerById() {
    assumeTrue(sample != null, "needs the sample data");
    openWithToken("#/alerts");
    alertRows();

    browser.findElement(byTestId("customer-lookup-id")).sendKeys("C-000017");
    browser.findElement(By.cssSelector("#lookup button")).click();

    waiting().until(ExpectedConditions.textToBe(byTestId("customer-id"), "C-000017"));
    assertThat(browser.findElement(byTestId("customer-level")).getText()).isEqualTo("HIGH");
    assertThat(browser.findElements(byTestId("action"))).extracting(WebElement::getText)
        .containsExactly("Refund the $50.00 price difference on the espresso grinder",
            "Refund the $12.50 overcharge on order O-2203");
  }

  @Test
  void aCustomerNeverSeenIsSaidPlainly() {
    openWithToken("#/customers/C-NEVER-SEEN");

    WebElement missing = visible("customer-missing");
    assertThat(missing.getText()).startsWith("No customer \"C-NEVER-SEEN\" has been seen.");
    assertThat(browser.findElement(By.id("customer-body")).isDisplayed()).isFalse();
  }

  @Test
  void asksForTheTokenOnceAndKeepsItForTheTab() {
    assumeTrue(!token.isEmpty(), "needs a server with a token");
    browser.get(baseUrl + "/#/alerts");

    visible("token-panel");
    browser.findElement(byTestId("token-input")).sendKeys(token);
    browser.findElement(By.cssSelector("#token-form button")).click();
    assertThat(alertRows()).isNotEmpty();

    browser.navigate().refresh();
    assertThat(alertRows()).isNotEmpty();
    assertThat(browser.findElement(byTestId("token-panel")).isDisplayed()).isFalse();
  }

  @Test
  void aWrongTokenIsSaidToBeWrong() {
    assumeTrue(!token.isEmpty(), "needs a server with a token");
    browser.get(baseUrl + "/?token=not-the-token#/alerts");

    visible("token-panel");
    assertThat(browser.findElement(By.id("token-message")).getText()).isEqualTo("That token was not accepted.");
  }

  @Test
  void filtersTheInboxByLevel() {
    openWithToken("#/alerts");
    alertRows();

    new Select(browser.findElement(byTestId("alerts-level-filter"))).selectByValue("CRITICAL");

    waiting().until(driver -> driver.findElements(byTestId("alert-row")).stream()
        .allMatch(row -> "CRITICAL".equals(row.findElement(byTestId("level")).getText())));
    if (sample != null) {
      assertThat(browser.findElements(byTestId("alert-row")))
          .extracting(row -> row.getAttribute("data-alert-id")).containsExactly("alert-42-3");
    }
  }

  @Test
  void listsCustomersAtRiskHighestScoreFirst() throws IOException {
    openWithToken("#/at-risk");
    visible("at-risk-list");
    List<WebElement> rows =
        waiting().until(ExpectedConditions.numberOfElementsToBeMoreThan(byTestId("at-risk-row"), 0));

    if (sample != null) {
      assertThat(rows).extracting(row -> row.getAttribute("data-customer-id"))
          .containsExactly("C-000042", "C-000017", "C-000108");
      assertThat(browser.findElement(byTestId("at-risk-summary")).getText())
          .isEqualTo("3 customers, $2,696.40 spent in the last 90 days");
    }
    screenshot("console-at-risk.png");
  }

  @Test
  void anAlertRaisedWhileTheAgentWatchesAppearsWithoutLosingTheirFilter() {
    assumeTrue(sample != null, "adds an alert to the sample data");
    openWithToken("#/alerts");
    alertRows();
    new Select(browser.findElement(byTestId("alerts-level-filter"))).selectByValue("HIGH");
    waiting().until(ExpectedConditions.numberOfElementsToBe(byTestId("alert-row"), 3));

    sample.add(new AlertView("alert-108-2", "C-000108", RiskLevel.HIGH, 66, Instant.now(),
        List.of(new Reason("UNANSWERED_CALL", 25, "Two calls about a missing parcel rang out unanswered", List.of("con-7001"))),
        List.of("Call back today"), 23_400));

    WebElement arrived = waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("[data-testid='alert-row'][data-alert-id='alert-108-2']")));
    assertThat(arrived.getAttribute("class")).contains("new");
    assertThat(browser.findElements(byTestId("alert-row")).get(0).getAttribute("data-alert-id")).isEqualTo("alert-108-2");
    assertThat(new Select(browser.findElement(byTestId("alerts-level-filter"))).getFirstSelectedOption().getText())
        .isEqualTo("High and above");
  }
}

package io.tidecast.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidecast.api.RunningService;
import io.tidecast.api.ServiceTestSupport;
import io.tidecast.streams.message.ReadingJson;
import io.tidecast.streams.service.FleetModels;
import io.tidecast.streams.sim.Fleet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The built-in page in a real headless Chromium against the running service: it loads, draws
 * actuals, forecast and interval band for a series, and shows a new reading's forecast within 5 s.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"tidecast.fleet.enabled=false", "tidecast.database.enabled=false"})
class WebPageIT extends RunningService {

  static final String SERIES = "page-probe";
  static final Instant START = Instant.parse("2026-05-01T00:00:00Z");

  private ChromeDriver browser;
  private KafkaProducer<byte[], byte[]> producer;

  @BeforeEach
  void open() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1200,900");
    browser = new ChromeDriver(new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build(), options);
    producer = ServiceTestSupport.producer(service.bootstrapServers());
  }

  @AfterEach
  void close() {
    browser.quit();
    producer.close();
  }

  private void send(int hour) {
    byte[] reading = ReadingJson.write(SERIES, START.plusSeconds(3600L * hour), Fleet.CHANNELS,
        FleetModels.FLEET.values(2, FleetModels.TRAINING_ROWS + hour));
    producer.send(new ProducerRecord<>(service.settings().streams().topics().readings(),
        SERIES.getBytes(StandardCharsets.UTF_8), reading));
    producer.flush();
  }

  @Test
  void drawsActualsForecastAndBandAndFollowsNewReadings() throws Exception {
    for (int hour = 0; hour < 150; hour++) {
      send(hour);
    }
    ServiceTestSupport.await200("http://localhost:" + port + "/api/v1/series/" + SERIES + "/forecast",
        Duration.ofSeconds(60));
    browser.get("http://localhost:" + port + "/");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.until(b -> new Select(b.findElement(By.id("series"))).getOptions().stream()
        .anyMatch(o -> SERIES.equals(o.getDomAttribute("value"))));
    new Select(browser.findElement(By.id("series"))).selectByValue(SERIES);
    WebElement chart = browser.findElement(By.id("chart"));
    wait.until(b -> START.plusSeconds(3600L * 149).toString().equals(chart.getDomAttribute("data-issued-at")));

    assertThat(Integer.parseInt(chart.getDomAttribute("data-actuals"))).isGreaterThanOrEqualTo(96);
    assertThat(Integer.parseInt(chart.getDomAttribute("data-forecast"))).isEqualTo(25); // 24 steps + its start
    assertThat(Integer.parseInt(chart.getDomAttribute("data-band"))).isEqualTo(24);
    // the canvas holds the colours of the actuals, the forecast line and the band
    Object colours = ((JavascriptExecutor) browser).executeScript("""
        const canvas = document.querySelector('#chart canvas');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let blue = 0, red = 0, band = 0;
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
          if (a > 200 && b > 150 && r < 80) blue++;
          if (a > 200 && r > 180 && g < 80 && b < 80) red++;
          if (a > 10 && a < 120 && r > 150 && g < 100) band++;
        }
        return [blue, red, band];""");
    assertThat(colours).asList().allSatisfy(n -> assertThat((Long) n).isGreaterThan(50L));
    assertThat(browser.findElements(By.cssSelector("#accuracy tbody tr"))).hasSize(24);
    assertThat(browser.findElement(By.id("model")).getText()).contains("linear-ar");
    Path shot = Path.of("target", "web-page.png");
    Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));

    // a new reading: its forecast is on the page within 5 s
    long sent = System.nanoTime();
    send(150);
    String next = START.plusSeconds(3600L * 150).toString();
    new WebDriverWait(browser, Duration.ofSeconds(5))
        .until(b -> next.equals(b.findElement(By.id("chart")).getDomAttribute("data-issued-at")));
    System.out.printf("web page: new reading shown after %.2f s%n", (System.nanoTime() - sent) / 1e9);
  }
}

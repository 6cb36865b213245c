package dev.turnlab.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, for the status page's browser tests. Both come
 * from the distribution (installed here as root when missing, like CoturnTools installs coturn); Selenium is given
 * both paths, so its Selenium Manager never looks for, let alone downloads, a browser or a driver.
 */
final class Chromium {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    /**
     * Null when Chromium and chromedriver are installed, after installing Debian's {@code chromium} and
     * {@code chromium-driver} (bounded to 10 minutes) if this runs as root; otherwise why a browser test cannot run.
     */
    static String unavailable() throws InterruptedException {
        if (present()) {
            return null;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "chromium and chromium-driver are not installed and this is not root: "
                    + "run `apt-get install -y chromium chromium-driver` to enable this test";
        }
        try {
            ProcessBuilder apt = new ProcessBuilder("timeout", "600", "apt-get", "install", "-y", "chromium",
                    "chromium-driver").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            apt.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process install = apt.start();
            install.getOutputStream().close();
            install.waitFor(610, TimeUnit.SECONDS);
        } catch (IOException e) {
            return "cannot run apt-get to install chromium and chromium-driver: " + e.getMessage();
        }
        return present() ? null : "`apt-get install -y chromium chromium-driver` did not install "
                + BROWSER + " and " + DRIVER + " (no network or no package source?)";
    }

    private static boolean present() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    /** A headless Chromium with a 1280 x 800 viewport and a fresh profile in {@code profile}. */
    static ChromeDriver start(Path profile) {
        // Both set: Selenium uses this driver and this browser, and Selenium Manager is not consulted.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--window-size=1280,800", "--no-sandbox", "--disable-dev-shm-usage",
                "--disable-gpu", "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withTimeout(Duration.ofSeconds(60)).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(30));
        // --window-size is the window's outer size: grow it by what the window takes, so the page gets 1280 x 800.
        Dimension outer = driver.manage().window().getSize();
        List<?> inner = (List<?>) driver.executeScript("return [window.innerWidth, window.innerHeight]");
        driver.manage().window().setSize(new Dimension(2 * outer.getWidth() - ((Number) inner.get(0)).intValue(),
                2 * outer.getHeight() - ((Number) inner.get(1)).intValue()));
        return driver;
    }
}

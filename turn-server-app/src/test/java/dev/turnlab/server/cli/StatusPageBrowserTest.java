package dev.turnlab.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.turnlab.client.Allocation;
import dev.turnlab.client.TurnClient;
import dev.turnlab.server.TurnServer;
import dev.turnlab.server.allocation.FiveTuple;
import dev.turnlab.testing.tools.Peer;
import dev.turnlab.testing.tools.TestCertificate;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in Debian's headless Chromium at 1280 x 800 against a server on loopback with real allocations
 * and traffic: it shows the allocations, users and rates, picks up a new allocation at its next refresh without
 * reloading, sorts, filters and pages, fits the width, shows a user's name as text, and shows the certificate's
 * expiry, draining and faults.
 * Skipped, with the reason, where Chromium and chromedriver cannot be installed. Leaves a screenshot in
 * target/status-page.png.
 */
class StatusPageBrowserTest {

    /** A user name that would run script if the page inserted it as HTML. */
    private static final String HOSTILE = "zed<img src=x onerror=\"document.title='owned'\">&";
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final int CAROLS = 49;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<TurnClient> clients = new ArrayList<>();
    private TurnServer server;
    private Peer peer;
    private ScheduledExecutorService traffic;
    private ChromeDriver browser;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        String missing = Chromium.unavailable();
        assumeTrue(missing == null, missing);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        TestCertificate.generate("turn.example.test", Duration.ofDays(10)).write(cert, key);
        server = TurnServer.builder().listen("127.0.0.1").port(0).relayPorts(32700, 32799).tlsPort(0)
                .tlsCertificate(cert, key).tlsReloadInterval(Duration.ZERO)
                .user("alice", "alice-secret").user("bob", "bob-secret").user("carol", "carol-secret")
                .user(HOSTILE, "hostile-secret").allowLoopbackPeers(true).admin("127.0.0.1:0").build().start();
        peer = new Peer();
        browser = Chromium.start(Files.createDirectories(dir.resolve("profile")));
    }

    @AfterEach
    void stop() {
        if (traffic != null) {
            traffic.shutdownNow();
        }
        if (browser != null) {
            browser.quit();
        }
        clients.forEach(TurnClient::close);
        if (peer != null) {
            peer.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anOperatorWatchesAllocationsComeSortsFiltersAndPages() throws Exception {
        TurnClient alice = allocate("alice", "alice-secret");
        Allocation relay = alice.allocation().orElseThrow();
        allocate(HOSTILE, "hostile-secret");
        for (int i = 0; i < CAROLS; i++) {
            allocate("carol", "carol-secret");
        }
        sendBothWays(alice, relay.relayedAddress());

        browser.get(admin("/status.html"));
        browser.executeScript("window.samePage = true");
        await("51 allocations listed", () -> text("count").equals("(51)"));

        // A new allocation appears at the first refresh after it was made, without reloading the page.
        TurnClient bob = allocate("bob", "bob-secret");
        Instant made = Instant.now();
        await("a refresh after bob's allocation", () -> shownAt().isAfter(made));
        assertThat(text("count")).isEqualTo("(52)");
        assertThat(script("return window.samePage === true")).isEqualTo(true);

        // The figures: allocations, the peak when the server reports it, ports against the range, rates now.
        assertThat(text("allocations")).isEqualTo("52");
        assertThat(text("peak")).isIn("52", "—");
        assertThat(text("ports")).isEqualTo("52 / 100");
        await("a rate each way", () -> text("toPeerBits").matches("[1-9][0-9.]* (bit|kbit|Mbit)/s")
                && text("toClientBits").matches("[1-9][0-9.]* (bit|kbit|Mbit)/s"));
        assertThat(text("toPeerPackets")).matches("[0-9,]+ packets/s · .* total");
        // The certificate expires in 10 days: under the 14 that make it a warning.
        assertThat(text("tls")).matches("TLS certificate CN=turn\\.example\\.test expires in (9d 23h|10d 0h)");
        assertThat(browser.findElement(By.id("tls")).getAttribute("class")).isEqualTo("alert warn");

        // Per user: carol's 49 allocations first.
        assertThat(column("users", 0)).containsExactly("carol", "alice", "bob", HOSTILE);
        assertThat(column("users", 1)).containsExactly("49", "1", "1", "1");

        // The user's name is text, not markup: no image, no script ran.
        assertThat(column("allocationTable", 1)).contains(HOSTILE);
        assertThat(script("return document.querySelectorAll('img').length")).isEqualTo(0L);
        assertThat(browser.getTitle()).isEqualTo("TURN relay usage · turnlab");

        fitsTheWidth();
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "status-page.png"), browser.getScreenshotAs(OutputType.BYTES));

        // Paged by 50.
        assertThat(text("pageInfo")).isEqualTo("1–50 of 52 · page 1 of 2");
        browser.findElement(By.id("next")).click();
        assertThat(column("allocationTable", 0)).hasSize(2);
        browser.findElement(By.id("previous")).click();

        // Sorted by a column, either way.
        sortBy("username");
        assertThat(header("username").getAttribute("aria-sort")).isEqualTo("ascending");
        assertThat(column("allocationTable", 1).subList(0, 3)).containsExactly("alice", "bob", "carol");
        sortBy("username");
        assertThat(header("username").getAttribute("aria-sort")).isEqualTo("descending");
        assertThat(column("allocationTable", 1).get(0)).isEqualTo(HOSTILE);
        sortBy("bytesToPeer");
        sortBy("bytesToPeer");
        assertThat(column("allocationTable", 1).get(0)).isEqualTo("alice");

        // Filtered by user and by client address.
        type("filterUser", "bo");
        assertThat(column("allocationTable", 1)).containsExactly("bob");
        assertThat(text("count")).isEqualTo("(1 of 52)");
        type("filterUser", "");
        String aliceClient = FiveTuple.format(alice.localAddress().join());
        type("filterClient", aliceClient);
        assertThat(column("allocationTable", 3)).containsExactly(aliceClient);
        type("filterClient", "");
        assertThat(text("pageInfo")).isEqualTo("1–50 of 52 · page 1 of 2");

        // Draining and lab faults show as soon as the server reports them.
        assertThat(post("/drain", "")).isEqualTo(200);
        assertThat(post("/faults", "block-relay=both")).isEqualTo(200);
        await("the draining and faults banners", () -> browser.findElement(By.id("draining")).isDisplayed()
                && text("faults").equals("Lab faults on: block-relay=both"));
        assertThat(bob.allocation()).isPresent();
    }

    /**
     * Behind a listener that answers 401 without a bearer token (a stand-in for the admin listener's own
     * authentication, which forwards to it), the page asks for the token, keeps it in sessionStorage for the tab,
     * sends it as {@code Authorization: Bearer} on every fetch, and asks again when it is refused.
     */
    @Test
    void onA401ThePageAsksForATokenAndSendsItAsBearer() throws Exception {
        allocate("alice", "alice-secret");
        List<String> authorizations = java.util.Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer front = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress("127.0.0.1", 0), 0);
        front.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String path = exchange.getRequestURI().getPath();
            try (exchange) {
                if (path.equals("/status")) {
                    authorizations.add(String.valueOf(authorization));
                    if (!"Bearer s3cret".equals(authorization)) {
                        exchange.sendResponseHeaders(401, -1);
                        return;
                    }
                }
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(admin(path)))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
                for (String header : List.of("content-type", "content-security-policy", "x-content-type-options")) {
                    r.headers().firstValue(header).ifPresent(v -> exchange.getResponseHeaders().set(header, v));
                }
                exchange.sendResponseHeaders(r.statusCode(), r.body().length);
                exchange.getResponseBody().write(r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        front.start();
        try {
            browser.get("http://" + FiveTuple.format(front.getAddress()) + "/status.html");
            await("the token form", () -> browser.findElement(By.id("login")).isDisplayed());
            assertThat(authorizations).containsOnly("null");

            browser.findElement(By.id("token")).sendKeys("wrong");
            browser.findElement(By.cssSelector("#login button")).click();
            await("the refusal", () -> text("error").equals("The token was refused (401)."));
            assertThat(authorizations).contains("Bearer wrong");

            browser.findElement(By.id("token")).sendKeys("s3cret");
            browser.findElement(By.cssSelector("#login button")).click();
            await("alice's allocation", () -> column("allocationTable", 1).contains("alice"));
            assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();
            assertThat(script("return sessionStorage.getItem('turnlab-admin-token')")).isEqualTo("s3cret");

            // The tab keeps it: a reload goes straight to the figures.
            int asked = authorizations.size();
            browser.navigate().refresh();
            await("alice's allocation after a reload", () -> column("allocationTable", 1).contains("alice"));
            assertThat(authorizations.subList(asked, authorizations.size())).containsOnly("Bearer s3cret");
            assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();
        } finally {
            front.stop(0);
        }
    }

    /** The last column is inside the window, nothing scrolls sideways, no header is cut off, and times are one line with the ISO time as a title. */
    private void fitsTheWidth() {
        assertThat(script("return [window.innerWidth, window.innerHeight]")).isEqualTo(List.of(1280L, 800L));
        assertThat((Long) script("return document.documentElement.scrollWidth")).isLessThanOrEqualTo(1280L);
        for (String cell : List.of("#allocationTable thead th:last-child", "#allocationTable tbody tr td:last-child")) {
            Number right = (Number) script("return document.querySelector(arguments[0]).getBoundingClientRect().right", cell);
            assertThat(right.doubleValue()).as(cell).isLessThanOrEqualTo(1280.0);
        }
        assertThat(script("return [...document.querySelectorAll('#allocationTable th button')]"
                + ".filter(b => b.scrollWidth > b.clientWidth).map(b => b.textContent)")).as("cut-off headers")
                .isEqualTo(List.of());
        WebElement age = browser.findElement(By.cssSelector("#allocationTable tbody tr td:nth-child(6)"));
        assertThat(age.getText()).matches("\\d+s|\\d+m \\d+s");
        assertThat(Instant.parse(age.getAttribute("title"))).isBefore(Instant.now().plusSeconds(1));
        assertThat(script("const c = arguments[0]; return c.scrollWidth <= c.clientWidth"
                + " && getComputedStyle(c).whiteSpace === 'nowrap'", age)).isEqualTo(true);
    }

    private TurnClient allocate(String user, String password) {
        TurnClient client = TurnClient.builder().server(server.udpAddress()).credentials(user, password).build();
        clients.add(client);
        assertThat(client.allocate().join().isSuccess()).as(user).isTrue();
        return client;
    }

    /** Relays a small packet each way every 50 ms, for at most a minute. */
    private void sendBothWays(TurnClient client, InetSocketAddress relayed) {
        assertThat(client.createPermission(peer.address().getAddress()).join().isSuccess()).isTrue();
        AtomicInteger left = new AtomicInteger(1200);
        traffic = Executors.newSingleThreadScheduledExecutor();
        traffic.scheduleAtFixedRate(() -> {
            if (left.decrementAndGet() < 0) {
                traffic.shutdown();
                return;
            }
            try {
                client.send(peer.address(), new byte[100]);
                peer.send(relayed, new byte[200]);
            } catch (Exception e) {
                traffic.shutdown();
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
    }

    /** The server time of the snapshot the page shows (the title of its "updated" line). */
    private Instant shownAt() {
        String time = browser.findElement(By.id("updated")).getAttribute("title");
        return time == null || time.isEmpty() ? Instant.EPOCH : Instant.parse(time);
    }

    private void sortBy(String key) {
        header(key).findElement(By.tagName("button")).click();
    }

    private WebElement header(String key) {
        return browser.findElement(By.cssSelector("#allocationTable th[data-key='" + key + "']"));
    }

    private void type(String id, String value) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        if (!value.isEmpty()) {
            input.sendKeys(value);
        } else {
            // clear() sends no input event; the page filters on input.
            script("arguments[0].dispatchEvent(new Event('input'))", input);
        }
    }

    @SuppressWarnings("unchecked")
    private List<String> column(String table, int index) {
        return (List<String>) script("return [...document.querySelectorAll('#' + arguments[0] + ' tbody tr')]"
                + ".map(r => r.cells[arguments[1]].textContent)", table, index);
    }

    private String text(String id) {
        return (String) script("return document.getElementById(arguments[0]).textContent", id);
    }

    private Object script(String js, Object... args) {
        return browser.executeScript(js, args);
    }

    private void await(String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, WAIT).withMessage(what).until(d -> condition.getAsBoolean());
    }

    private int post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(admin(path))).POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private String admin(String path) {
        return "http://" + FiveTuple.format(server.adminAddress()) + path;
    }
}

package dk.snitgraf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.configuration.ssl.ClientAuth;
import org.neo4j.configuration.ssl.SslPolicyConfig;
import org.neo4j.configuration.ssl.SslPolicyScope;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * A real Neo4j 5.26 Community DBMS, embedded, reachable over Bolt on 127.0.0.1, for tests.
 *
 * <pre>
 *   java -cp target/classes:target/lib/* dk.snitgraf.Neo4jTestServer --port N [--data DIR] [--auth-file FILE]
 *        [--watch-pid PID] [--tls CERT_DIR] [--config key=value ...]
 * </pre>
 *
 * Prints exactly one line, {@code bolt://127.0.0.1:PORT} ({@code bolt+s://...} with --tls), to
 * stdout once the default database {@code neo4j} answers; everything else goes to stderr or to
 * DIR/logs. SIGTERM stops it cleanly.
 *
 * <p>--auth-file FILE: a file holding user:password (or the environment's NEO4J_TEST_AUTH):
 * auth is on with that user; never on the command line. LOAD CSV may not read local files.
 *
 * <p>--tls: Bolt requires TLS with CERT_DIR/private.key and CERT_DIR/public.crt (PEM), for tests
 * of the {@code +s} and {@code +ssc} URI schemes. --config: any Neo4j setting by its neo4j.conf
 * name, applied last (benchmarks use it, e.g. for a larger page cache).
 */
public final class Neo4jTestServer {

    public static void main(String[] args) throws Exception {
        Integer port = null;
        Path data = null;
        Path authFile = null;
        Long watchPid = null;
        Path tls = null;
        Map<String, String> raw = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> { port = Integer.parseInt(need(args[i], value)); i++; }
                case "--data" -> { data = Path.of(need(args[i], value)); i++; }
                case "--auth-file" -> { authFile = Path.of(need(args[i], value)); i++; }
                case "--watch-pid" -> { watchPid = Long.parseLong(need(args[i], value)); i++; }
                case "--tls" -> { tls = Path.of(need(args[i], value)).toAbsolutePath(); i++; }
                case "--config" -> {
                    String setting = need(args[i], value);
                    int eq = setting.indexOf('=');
                    if (eq <= 0) fail("--config wants key=value, got " + setting);
                    raw.put(setting.substring(0, eq), setting.substring(eq + 1));
                    i++;
                }
                default -> fail("unknown argument " + args[i]);
            }
        }
        if (port == null || port < 0 || port > 65535) {
            fail("usage: Neo4jTestServer --port N (0 = any free port) [--data DIR] [--auth-file FILE]"
                    + " [--watch-pid PID] [--tls CERT_DIR] [--config key=value ...]");
        }
        if (tls != null) {
            for (String file : new String[] {"private.key", "public.crt"}) {
                if (!Files.isReadable(tls.resolve(file))) fail("--tls: no readable " + tls.resolve(file));
            }
        }
        String user = null, password = null;
        // user:password from a file (or NEO4J_TEST_AUTH), never from the command line, which
        // `ps` shows everyone and Neo4j writes into its debug log.
        String auth = System.getenv("NEO4J_TEST_AUTH");
        if (authFile != null) {
            if (!Files.isReadable(authFile)) fail("--auth-file: no readable " + authFile);
            auth = Files.readString(authFile).strip();
        }
        if (auth != null && !auth.isEmpty()) {
            int colon = auth.indexOf(':');
            if (colon <= 0 || colon == auth.length() - 1) fail("--auth wants user:password");
            user = auth.substring(0, colon);
            password = auth.substring(colon + 1);
        }

        // Without --data: a throw-away home, removed again after shutdown.
        boolean temporary = data == null;
        Path home = temporary ? Files.createTempDirectory("snitgraf-neo4j-") : data.toAbsolutePath();
        Files.createDirectories(home);

        DatabaseManagementService dbms;
        try {
            DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                    // Bolt is off in embedded mode until configured; bind to loopback only, plain text
                    // (bolt:// URIs, as the Python driver uses by default) unless --tls.
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(BoltConnector.encryption_level, tls == null
                            ? BoltConnector.EncryptionLevel.DISABLED
                            : BoltConnector.EncryptionLevel.REQUIRED)
                    .setConfig(HttpConnector.enabled, false)
                    // LOAD CSV FROM 'file:///etc/passwd' would hand any client the server's files.
                    .setConfig(GraphDatabaseSettings.allow_file_urls, false)
                    // Netty waits a 5 s quiet period per event-loop group on shutdown (10 s in all);
                    // a test server has no clients left to drain, so stop at once.
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    // Auth is set explicitly either way instead of relying on the default.
                    .setConfig(GraphDatabaseSettings.auth_enabled, user != null)
                    // Test passwords may be short (default minimum 8), and a test of a wrong password
                    // must not lock the user out for the next test (default: 3 failures lock it 5 s).
                    .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
                    .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                    // Modest footprint: CI runs the test suite next to this process.
                    .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(16));
            if (tls != null) {
                SslPolicyConfig bolt = SslPolicyConfig.forScope(SslPolicyScope.BOLT);
                builder.setConfig(bolt.enabled, true)
                        .setConfig(bolt.base_directory, tls)
                        .setConfig(bolt.private_key, tls.resolve("private.key"))
                        .setConfig(bolt.public_certificate, tls.resolve("public.crt"))
                        .setConfig(bolt.client_auth, ClientAuth.NONE);
            }
            dbms = withRawSettings(builder, raw).build();
        } catch (Throwable t) {
            // build() failed (e.g. the port is taken); it has already stopped what it started.
            if (temporary) deleteTree(home);
            startFailed(t);
            return;
        }

        // Registered right after build() so that SIGTERM during the start-up still closes the store.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            if (temporary) deleteTree(home);
        }, "neo4j-shutdown"));

        try {
            // Community has exactly one user database, "neo4j"; wait until it answers.
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            if (!db.isAvailable(120_000)) fail("database neo4j did not become available");

            if (user != null) {
                // Embedded mode has no `neo4j-admin set-initial-password`; user management is
                // Cypher against the system database. CREATE OR REPLACE also covers the built-in
                // user neo4j (whose initial password "neo4j" would otherwise require a change)
                // and a --data folder reused with another password.
                dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                        "CREATE OR REPLACE USER $user SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED",
                        Map.of("user", user, "password", password));
            }

            // With --port 0 the OS chose the port; the connector register knows which.
            int boundPort = ((GraphDatabaseAPI) db).getDependencyResolver()
                    .resolveDependency(ConnectorPortRegister.class)
                    .getLocalAddress(ConnectorType.BOLT)
                    .getPort();
            System.out.println((tls == null ? "bolt://" : "bolt+s://") + "127.0.0.1:" + boundPort);
            System.out.flush();
        } catch (Throwable t) {
            startFailed(t); // System.exit runs the shutdown hook
        }

        // --watch-pid: stop when that process (e.g. the test run) is gone, even if it was killed
        // hard and never sent SIGTERM, so no orphaned server keeps the port and the memory.
        if (watchPid != null) {
            ProcessHandle.of(watchPid).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> System.exit(0)),
                    () -> System.exit(0));
        }

        // Serve until SIGTERM/SIGINT; the shutdown hook does the rest.
        Thread.currentThread().join();
    }

    /**
     * Sets each --config key=value on the builder, parsed and validated by Neo4j's own Config (an
     * unknown key or a bad value fails the start with Neo4j's message).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static DatabaseManagementServiceBuilder withRawSettings(
            DatabaseManagementServiceBuilder builder, Map<String, String> raw) {
        if (raw.isEmpty()) return builder;
        Config parsed = Config.newBuilder().setRaw(raw).build();
        Map<String, Setting<Object>> declared = parsed.getDeclaredSettings();
        for (String key : raw.keySet()) {
            Setting<Object> setting = declared.get(key);
            if (setting == null) fail("--config: unknown setting " + key);
            builder.setConfig((Setting) setting, parsed.get(setting));
        }
        return builder;
    }

    /** Stack trace, then the root cause on the last line, where `tail` of the log shows it. */
    private static void startFailed(Throwable t) {
        t.printStackTrace();
        Throwable root = t;
        while (root.getCause() != null) root = root.getCause();
        System.err.println("neo4j-test-server: failed to start: " + root);
        System.exit(1);
    }

    private static String need(String flag, String value) {
        if (value == null) fail(flag + " needs a value");
        return value;
    }

    private static void fail(String message) {
        System.err.println("neo4j-test-server: " + message);
        System.exit(2);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("neo4j-test-server: could not delete " + root + ": " + e);
        }
    }
}

package org.elasticsearch.node;

import dev.tideline.elasticsearch.RootInfoPlugin;

import org.apache.logging.log4j.LogManager;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsService;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one Elasticsearch node in this JVM, for local development only.
 *
 * Usage: java -cp ... org.elasticsearch.node.TidelineNode CONFIG_DIR key=value...
 * CONFIG_DIR holds log4j2.properties (and optionally elasticsearch.yml); the key=value pairs are node settings.
 *
 * This replaces org.elasticsearch.bootstrap.Elasticsearch, which needs the distribution's CLI launcher and
 * also refuses to run as root, installs the security manager and seccomp filters: none of that runs here.
 * It lives in org.elasticsearch.node because the Node constructor taking a NodeServiceProvider is package-private.
 */
public final class TidelineNode extends Node {

    // Netty4: the HTTP/transport layer. RootInfoPlugin: GET / and HEAD /, whose module is not on Maven Central.
    private static final List<Class<? extends Plugin>> MODULES = List.of(Netty4Plugin.class, RootInfoPlugin.class);

    private TidelineNode(Environment environment) {
        super(NodeConstruction.prepareConstruction(environment, new NodeServiceProvider() {
            @Override
            PluginsService newPluginService(Environment env, Settings settings) {
                return new ClasspathPluginsService(settings, env, MODULES);
            }
        }, true));
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: TidelineNode CONFIG_DIR [key=value...]");
        }
        Path configDir = Path.of(args[0]).toAbsolutePath();
        Settings.Builder settings = Settings.builder();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected key=value, got [" + args[i] + "]");
            settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }

        LogConfigurator.registerErrorListener();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings.build(), Map.of(), configDir, () -> "tideline");
        LogConfigurator.setNodeName(NODE_NAME_SETTING.get(environment.settings()));
        LogConfigurator.configure(environment, true);

        try {
            Node node = new TidelineNode(environment);
            // SIGTERM (elasticsearch.sh stop) runs this hook: shards are flushed and closed, so data survives restarts.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    node.prepareForClose();
                    node.close();
                    node.awaitClose(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LogManager.getLogger(TidelineNode.class).error("error while stopping", e);
                }
            }, "tideline-es-shutdown"));
            node.start();
        } catch (Throwable t) {
            // Thread pools are already running and would keep a half-started JVM alive; exit so the script sees it.
            LogManager.getLogger(TidelineNode.class).fatal("node failed to start", t);
            System.exit(1);
        }
        // Node.start() returns; block main so the JVM does not depend on which ES threads are non-daemon.
        new CountDownLatch(1).await();
    }
}

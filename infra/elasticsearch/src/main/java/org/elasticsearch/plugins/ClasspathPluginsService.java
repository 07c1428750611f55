package org.elasticsearch.plugins;

import org.elasticsearch.Build;
import org.elasticsearch.action.admin.cluster.node.info.PluginsAndModules;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.jdk.ModuleQualifiedExportsService;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * A PluginsService whose modules come from the application classpath instead of a distribution's
 * modules/ folder (Maven Central has the module jars, not the unpacked distribution layout).
 * Lives in this package because {@link PluginsService.LoadedPlugin} is package-private.
 * Same idea as the test framework's MockPluginsService, without pulling in the test framework.
 */
public final class ClasspathPluginsService extends PluginsService {

    private final List<LoadedPlugin> modules;

    public ClasspathPluginsService(Settings settings, Environment environment, List<Class<? extends Plugin>> moduleClasses) {
        // null directories: nothing is scanned on disk.
        super(settings, environment.configFile(), null, null);
        this.modules = moduleClasses.stream().map(c -> {
            Plugin instance = loadPlugin(c, settings, environment.configFile());
            var descriptor = new PluginDescriptor(
                c.getName(), "classpath module", Build.current().version(), Build.current().version(),
                Integer.toString(Runtime.version().feature()), c.getName(), null, List.of(), false, false, false, false
            );
            // Boot layer + system class loader: everything runs on the plain classpath, no module layers.
            return new LoadedPlugin(descriptor, instance, c.getClassLoader(), ModuleLayer.boot());
        }).toList();
        loadExtensions(modules);
    }

    @Override
    protected void addServerExportsService(Map<String, List<ModuleQualifiedExportsService>> qualifiedExports) {
        // The server jar sits in the unnamed module on the classpath: no module descriptor, nothing to export.
    }

    @Override
    public <T> List<? extends T> loadServiceProviders(Class<T> service) {
        // The default asks each module's class loader; here they all share the system class loader, so every
        // provider on the classpath would come back once per module (e.g. "Duplicate feature" on startup).
        return ServiceLoader.load(service, getClass().getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();
    }

    @Override
    protected List<LoadedPlugin> plugins() {
        return modules;
    }

    @Override
    public PluginsAndModules info() {
        // Report them as modules, like a real distribution does, so _cat/plugins stays empty.
        return new PluginsAndModules(List.of(), modules.stream().map(LoadedPlugin::descriptor).toList());
    }
}

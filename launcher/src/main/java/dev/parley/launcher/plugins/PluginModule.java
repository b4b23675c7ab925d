package dev.parley.launcher.plugins;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import dev.parley.core.spi.ParleyPlugin;

/**
 * Adds one chosen plugin to the server's {@code Set<ParleyPlugin>}. Installed in {@code parley.plugins}
 * order, which the set keeps, so plugins start in that order.
 */
public final class PluginModule extends AbstractModule {
    private final ParleyPlugin plugin;

    public PluginModule(ParleyPlugin plugin) {
        this.plugin = plugin;
    }

    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), ParleyPlugin.class).addBinding().toInstance(plugin);
    }

    @Override
    public String toString() {
        return "PluginModule(" + plugin.name() + ")";
    }
}

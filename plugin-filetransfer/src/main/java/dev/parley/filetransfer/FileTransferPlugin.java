package dev.parley.filetransfer;

import dev.parley.core.spi.ParleyPlugin;

/** The filetransfer plugin. */
public final class FileTransferPlugin implements ParleyPlugin {
    @Override
    public String name() {
        return "filetransfer";
    }
}

/** The filetransfer plugin. */
module dev.parley.filetransfer {
    requires dev.parley.core;
    requires org.slf4j;

    provides dev.parley.core.spi.ParleyPlugin with dev.parley.filetransfer.FileTransferPlugin;
}

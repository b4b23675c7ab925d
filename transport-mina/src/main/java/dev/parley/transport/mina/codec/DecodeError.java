package dev.parley.transport.mina.codec;

import dev.parley.core.protocol.ProtocolException;

/**
 * What {@link FrameDecoder} emits instead of a frame when a line cannot be decoded.
 *
 * @param error the problem, with the code the server answers ({@code ERR * <CODE>})
 * @param fatal true when the stream cannot be resynchronised; the decoder has stopped decoding this connection
 */
public record DecodeError(ProtocolException error, boolean fatal) {
}

package dev.parley.launcher.client.chat;

import org.jline.reader.LineReader;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.InfoCmp.Capability;

/** A terminal: lines appear above the input line, which JLine redraws as it was, half-typed text and all. */
final class TerminalScreen implements ChatScreen {
    private final LineReader reader;
    private volatile String prompt = "";

    TerminalScreen(LineReader reader) {
        this.reader = reader;
    }

    @Override
    public void show(String line) {
        reader.printAbove(line);
    }

    @Override
    public boolean interactive() {
        return true;
    }

    /** Reads a line with this prompt, which {@link #prompt(String)} may change while the line is edited. */
    String readLine(String prompt) {
        this.prompt = prompt;
        return reader.readLine(prompt);
    }

    /** Shows a new prompt on the input line being edited, if any; the next line uses it anyway. */
    void prompt(String prompt) {
        if (reader instanceof LineReaderImpl impl && reader.isReading() && !prompt.equals(this.prompt)) {
            try {
                this.prompt = prompt;
                impl.setPrompt(prompt);
                reader.callWidget(LineReader.REDISPLAY);
            } catch (IllegalStateException e) {
                // readLine returned meanwhile: the next one draws the prompt
            }
        }
    }

    /**
     * Removes a line just entered (prompt and text, over as many rows as it took), so that the message
     * appears once, formatted, when the server has accepted it.
     */
    void eraseEntered(String prompt, String line) {
        Terminal terminal = reader.getTerminal();
        // A terminal that reports no size (0 columns) is taken to be 80 wide, as JLine does.
        int width = terminal.getWidth() > 0 ? terminal.getWidth() : 80;
        int columns = new AttributedString(prompt + line).columnLength();
        int rows = Math.max(1, (columns + width - 1) / width);
        synchronized (terminal) {
            for (int i = 0; i < rows; i++) {
                terminal.puts(Capability.cursor_up);
                terminal.puts(Capability.carriage_return);
                terminal.puts(Capability.clr_eol);
            }
            terminal.flush();
        }
    }
}

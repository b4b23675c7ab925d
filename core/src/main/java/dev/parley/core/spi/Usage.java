package dev.parley.core.spi;

import dev.parley.core.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A command's syntax: the arguments after the verb as {@code HELP} shows them, and how many arguments it
 * takes. The server checks the count before it calls the handler and answers a wrong one with
 * {@code ERR <VERB> BAD_ARGUMENT :usage: <VERB> <text>}; the handler checks only what the arguments mean.
 *
 * <p>Arguments are counted as {@link Request#arguments()} lists them: the middle parameters and the trailing
 * one, if any ({@code SAY #room :hi} has two, and so has {@code SAY #room hi}).
 *
 * <p>{@link #of(String)} derives the counts from the text, written as in the protocol's docs:
 * <ul>
 *   <li>each word is one argument: {@code <nick>}, {@code key}, {@code on|off}, {@code :<text>} (a {@code |}
 *       inside a word, or anything inside {@code <...>}, stays part of that one argument);</li>
 *   <li>{@code [ ... ]} is optional;</li>
 *   <li>{@code  | } standing alone separates alternatives, inside brackets or for the whole text;</li>
 *   <li>a word ending in {@code ...} may repeat: one or more.</li>
 * </ul>
 * For example {@code <#room> [key]} takes 1 or 2 arguments, {@code <nick> :<text>} exactly 2,
 * {@code <#room|nick> [n | BEFORE <ref> [n] | BETWEEN <ref> <ref> [n]]} 1 to 5, and {@code ""} none.
 * When the text cannot say it, the canonical constructor takes the counts explicitly.
 *
 * @param text the arguments after the verb, one line; empty for a command that takes none
 * @param min  the fewest arguments, at least 0
 * @param max  the most arguments, at least {@code min}; {@link Integer#MAX_VALUE} for no limit
 */
public record Usage(String text, int min, int max) {

    /** No declared syntax: any number of arguments reaches the handler, and {@code HELP} shows only the summary. */
    public static final Usage UNDECLARED = new Usage("", 0, Integer.MAX_VALUE);

    /** Validates the counts and flattens the text to one line. */
    public Usage {
        Objects.requireNonNull(text, "text");
        text = text.strip().replaceAll("\\s+", " ");
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("a usage takes min >= 0 and max >= min arguments: " + min + ".." + max);
        }
    }

    /**
     * The usage with the counts derived from its text (see the class documentation).
     *
     * @throws IllegalArgumentException when a bracket or {@code <...>} is not closed, or a {@code ]} closes nothing
     */
    public static Usage of(String text) {
        Objects.requireNonNull(text, "text");
        Parser parser = new Parser(text, tokens(text));
        int[] counts = parser.alternatives();
        if (parser.position < parser.tokens.size()) {
            throw parser.error("a '" + parser.tokens.get(parser.position) + "' closes nothing");
        }
        return new Usage(text, counts[0], counts[1]);
    }

    /** True when this is a declared syntax, not {@link #UNDECLARED}. */
    public boolean declared() {
        return !equals(UNDECLARED);
    }

    /** True when a command with {@code count} arguments fits this syntax. */
    public boolean accepts(int count) {
        return count >= min && count <= max;
    }

    /**
     * What the server answers a command of this syntax with {@code count} arguments: nothing when it fits,
     * else {@code ERR <VERB> BAD_ARGUMENT :usage: <VERB> <text>}. Unit tests that call handlers directly apply
     * it the same way.
     */
    public Optional<Reply> refuse(String verb, int count) {
        return accepts(count) ? Optional.empty()
                : Optional.of(Reply.error(ErrorCode.BAD_ARGUMENT, "usage: " + line(verb)));
    }

    /** How the verb is written with this syntax: {@code JOIN <#room> [key]}, or just {@code ROOMS}. */
    public String line(String verb) {
        return text.isEmpty() ? verb : verb + " " + text;
    }

    /** Words, {@code [}, {@code ]} and lone {@code |}; brackets inside {@code <...>} belong to the word. */
    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int angle = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (angle == 0 && (Character.isWhitespace(c) || c == '[' || c == ']')) {
                if (!word.isEmpty()) {
                    tokens.add(word.toString());
                    word.setLength(0);
                }
                if (!Character.isWhitespace(c)) {
                    tokens.add(String.valueOf(c));
                }
                continue;
            }
            if (c == '<') {
                angle++;
            } else if (c == '>' && angle > 0) {
                angle--;
            }
            word.append(c);
        }
        if (angle > 0) {
            throw new IllegalArgumentException("a '<' is not closed in the usage '" + text + "'");
        }
        if (!word.isEmpty()) {
            tokens.add(word.toString());
        }
        return tokens;
    }

    /** alternatives := sequence ('|' sequence)*; sequence := item*; item := '[' alternatives ']' | word. */
    private static final class Parser {
        private final String text;
        private final List<String> tokens;
        private int position;

        Parser(String text, List<String> tokens) {
            this.text = text;
            this.tokens = tokens;
        }

        int[] alternatives() {
            int[] counts = sequence();
            while (position < tokens.size() && tokens.get(position).equals("|")) {
                position++;
                int[] other = sequence();
                counts = new int[] {Math.min(counts[0], other[0]), Math.max(counts[1], other[1])};
            }
            return counts;
        }

        private int[] sequence() {
            long min = 0;
            long max = 0;
            while (position < tokens.size()) {
                String token = tokens.get(position);
                if (token.equals("|") || token.equals("]")) {
                    break;
                }
                position++;
                if (token.equals("[")) {
                    int[] inner = alternatives();
                    if (position >= tokens.size() || !tokens.get(position).equals("]")) {
                        throw error("a '[' is not closed");
                    }
                    position++;
                    max += inner[1];
                } else {
                    min++;
                    max += token.endsWith("...") ? Integer.MAX_VALUE : 1;
                }
            }
            return new int[] {(int) Math.min(min, Integer.MAX_VALUE), (int) Math.min(max, Integer.MAX_VALUE)};
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " in the usage '" + text + "'");
        }
    }
}

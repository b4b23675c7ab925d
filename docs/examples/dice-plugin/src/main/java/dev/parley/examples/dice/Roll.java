package dev.parley.examples.dice;

import java.util.Locale;
import java.util.Optional;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A roll request in dice notation: {@code NdM} is N dice of M sides.
 *
 * @param dice  N
 * @param sides M
 */
record Roll(int dice, int sides) {
    private static final Pattern NOTATION = Pattern.compile("([0-9]{1,7})d([0-9]{1,7})");

    /** Parses {@code NdM} (case-insensitive) within the limits; empty when the text is anything else. */
    static Optional<Roll> parse(String text, DiceSettings limits) {
        Matcher m = NOTATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        int dice = Integer.parseInt(m.group(1));
        int sides = Integer.parseInt(m.group(2));
        if (dice < 1 || dice > limits.maxDice() || sides < 2 || sides > limits.maxSides()) {
            return Optional.empty();
        }
        return Optional.of(new Roll(dice, sides));
    }

    /** Throws the dice; {@code die} gives one die's value (1 to sides) for a number of sides. */
    int[] throwWith(IntUnaryOperator die) {
        int[] values = new int[dice];
        for (int i = 0; i < dice; i++) {
            values[i] = die.applyAsInt(sides);
        }
        return values;
    }

    /** As written by clients: {@code 3d6}. */
    @Override
    public String toString() {
        return dice + "d" + sides;
    }
}

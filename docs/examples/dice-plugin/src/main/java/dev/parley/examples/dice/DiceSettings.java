package dev.parley.examples.dice;

import com.typesafe.config.Config;

/**
 * The dice plugin's settings, read once at start-up from {@code parley.dice} (see reference.conf).
 *
 * @param maxDice  most dice in one roll
 * @param maxSides most sides of a die
 */
record DiceSettings(int maxDice, int maxSides) {

    DiceSettings {
        if (maxDice < 1 || maxDice > 1000) {
            throw new IllegalArgumentException("parley.dice.max-dice must be between 1 and 1000, not " + maxDice);
        }
        if (maxSides < 2 || maxSides > 1_000_000) {
            throw new IllegalArgumentException("parley.dice.max-sides must be between 2 and 1000000, not " + maxSides);
        }
    }

    /** Reads the plugin's own section, {@code parley.dice}, as the server hands it over. */
    static DiceSettings from(Config section) {
        return new DiceSettings(section.getInt("max-dice"), section.getInt("max-sides"));
    }
}

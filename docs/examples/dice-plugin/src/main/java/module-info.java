/** An example third-party Parley plugin: ROLL dice, alone or in front of a room. */
module dev.parley.examples.dice {
    requires dev.parley.core;

    provides dev.parley.core.spi.ParleyPlugin with dev.parley.examples.dice.DicePlugin;
}

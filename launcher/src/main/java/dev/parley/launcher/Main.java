package dev.parley.launcher;

/** Entry point of the parley command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("parley");
    }
}

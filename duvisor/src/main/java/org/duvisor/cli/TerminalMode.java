package org.duvisor.cli;

import java.io.IOException;

/**
 * The host terminal in raw mode while a guest owns the console (keys go to the guest unprocessed,
 * Ctrl-C included), restored on close. Uses stty on /dev/tty, which every Debian machine has.
 */
final class TerminalMode implements AutoCloseable {
    private final String saved;

    private TerminalMode(String saved) {
        this.saved = saved;
    }

    static boolean isTerminal() {
        return java.nio.file.Files.exists(java.nio.file.Path.of("/dev/tty"));
    }

    static TerminalMode unchanged() {
        return new TerminalMode(null);
    }

    static TerminalMode raw() {
        try {
            String saved = stty("-g").trim();
            stty("raw", "-echo");
            return new TerminalMode(saved);
        } catch (IOException | InterruptedException e) {
            return unchanged();
        }
    }

    private static String stty(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty"))).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    @Override
    public void close() {
        if (saved == null) return;
        try {
            stty(saved);
        } catch (IOException | InterruptedException e) {
            // leave the terminal as it is; `reset` fixes it
        }
    }
}

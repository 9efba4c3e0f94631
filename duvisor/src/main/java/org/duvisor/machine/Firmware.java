package org.duvisor.machine;

/** What runs in M-mode: {@code --bios builtin|opensbi|none}. */
public enum Firmware {
    /** The Java SBI ({@link org.duvisor.firmware.BuiltinSbi}); the kernel starts in S-mode. */
    BUILTIN,
    /** Debian's OpenSBI {@code fw_jump.elf} in M-mode, jumping to the kernel at RAM + 2 MiB. */
    OPENSBI,
    /** Nothing: the program (a bare-metal ELF) starts in M-mode at its entry. */
    NONE
}

/* spin: loops forever without a system call (a translated region that never leaves by itself). */
int main(void) {
    unsigned long i = 0;
    for (;;) {
        i = i * 6364136223846793005UL + 1442695040888963407UL;
        __asm__ volatile("" : "+r"(i));
    }
}

/* libFuzzer's entry for programs that have their own main (LLVM 13+): defined only when linked with
   -sanitize=fuzzer, called only from code built with -DFUZZING. Header-only. */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

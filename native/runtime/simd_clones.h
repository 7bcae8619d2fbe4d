// KILN_CLONES: compile a hot loop for AVX-512, AVX2 and baseline x86-64 and let the
// loader pick (GCC function multi-versioning); a no-op elsewhere.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define KILN_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define KILN_CLONES
#endif

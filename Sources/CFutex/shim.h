#include <stdint.h>
#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#else
#include <sched.h>
#endif

/* The handoff between a trainer's two threads, each running one-thread OpenBLAS
   products (Sources/Backprop/PairWorker.swift, the only importer). In C because Swift
   has no pause instruction and no atomics on a plain word, and Glibc's variadic
   syscall() does not import. Every access is sequentially consistent: the sleep/wake
   protocol relies on a store followed by a load of another word not being reordered. */
static inline uint32_t nbrun_load(const uint32_t *word) {
    return __atomic_load_n(word, __ATOMIC_SEQ_CST);
}
static inline void nbrun_store(uint32_t *word, uint32_t value) {
    __atomic_store_n(word, value, __ATOMIC_SEQ_CST);
}
/* 1 if *word held `expected` and now holds `desired`, else 0. */
static inline int nbrun_compare_exchange(uint32_t *word, uint32_t expected, uint32_t desired) {
    return __atomic_compare_exchange_n(word, &expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
/* The spin-wait hint (x86 PAUSE, Arm YIELD). */
static inline void nbrun_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
/* Sleeps while *word == value; may return early. Elsewhere than Linux it only yields. */
static inline void nbrun_wait(uint32_t *word, uint32_t value) {
#if defined(__linux__)
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, value, NULL, NULL, 0);
#else
    (void)word; (void)value;
    sched_yield();
#endif
}
/* The calling thread's kernel id (0 elsewhere than Linux). */
static inline int32_t nbrun_thread_id(void) {
#if defined(__linux__)
    return (int32_t)syscall(SYS_gettid);
#else
    return 0;
#endif
}
/* Wakes one thread sleeping in nbrun_wait on `word`. */
static inline void nbrun_wake(uint32_t *word) {
#if defined(__linux__)
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
#else
    (void)word;
#endif
}

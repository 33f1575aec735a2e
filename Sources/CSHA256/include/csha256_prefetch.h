#ifndef CONTACTS_CSHA256_PREFETCH_H
#define CONTACTS_CSHA256_PREFETCH_H

/* Asks the CPU to start loading the cache line at `address` (a hint: no effect on results).
   Swift has no prefetch; lookups into big hash tables issue it a few keys ahead. */
static inline void csha256_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}
#endif

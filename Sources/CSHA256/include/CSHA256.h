#ifndef CONTACTS_CSHA256_H
#define CONTACTS_CSHA256_H
#include <stddef.h>
#include <stdint.h>
#include "csha256_file_sync.h"
#include "csha256_sqlite_config.h"
#include "csha256_prefetch.h"

/* The 64 SHA-256 round constants (FIPS 180-4), shared with the portable Swift rounds. */
const uint32_t *csha256_round_constants(void);

/* True (1) when this CPU has the SHA extensions (SHA-NI) with SSE4.1. */
int csha256_has_accel(void);

/* Runs the SHA-256 compression function over `blocks` 64-byte blocks with the SHA
   extensions. Call only when csha256_has_accel() says so. */
void csha256_compress_accel(uint32_t state[8], const uint8_t *data, size_t blocks);
#endif

#ifndef CONTACTS_CSHA256_FILE_SYNC_H
#define CONTACTS_CSHA256_FILE_SYNC_H
#include <stdint.h>

/* Asks the kernel to start writing back the byte range [offset, offset + count) of `fd`
   without waiting (Linux sync_file_range with SYNC_FILE_RANGE_WRITE), so a later fsync has
   little left to do. Swift's Glibc module does not expose sync_file_range. Returns 0, or -1
   with errno set; a no-op returning 0 on systems without it. This is NOT a durability
   guarantee: callers still fsync before relying on the data. */
int csha256_start_writeback(int fd, int64_t offset, int64_t count);
#endif
